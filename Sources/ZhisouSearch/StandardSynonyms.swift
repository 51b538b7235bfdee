extension SynonymExpander {
  /// The text of the synonym list shipped with zhisou: one group per line, forms
  /// separated by spaces, `#` starts a comment. Compiled into the binary, like the
  /// lexicon (`Lexicon.standardText`).
  static let standardText = #"""
# Abbreviations and equivalent names of this field, one group per line, forms
# separated by spaces. Units where a query word appears with one form replaced by
# another (职教高考 → 职业教育高考) are found as partial matches, ranked below the units
# that have the word as typed. Applied at query time only: editing this file needs no
# rebuild. Longest forms are tried first; forms inside one another are not swapped.
职业教育 职教
中等职业教育 中职教育
中等职业学校 中职学校 中专
中等职业 中职
高等职业教育 高职教育
高等职业 高职
职业院校 职校
校企合作 学校企业合作
产教融合 产教结合
双师型教师 双师型 双师
思想政治 思政
人工智能 ai
技能大赛 技能竞赛
普通高中 普高
"""#
}
