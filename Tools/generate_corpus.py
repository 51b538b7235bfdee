#!/usr/bin/env python3
"""Deterministic generator of report-like Chinese documents for scale tests.

Trains a word-level order-2 Markov chain on the seed documents (Corpus/*.txt)
and writes N MB of synthetic vocational-education quality reports: a title
line, numbered headings at several levels (1．/1.1/1.1.1 or 一、/（一）/1．),
case studies (`案例 x.y 标题`, `【案例分享N】`), tab-separated table rows and
policy citations with document numbers (《…的通知》（晋教职成函〔2024〕73号）).
School, county, company and person names are drawn from an unbounded,
Zipf-distributed name space, so the vocabulary keeps growing with size.

Output: OUT_DIR/pNN/dNNNNNNN.txt, one document per file (20-200 KB), at most
1000 files per folder. Same --seed and --size-mb give byte-identical output,
whatever --jobs is. Python 3.11 standard library only.

Example:
    Tools/generate_corpus.py Tools/generated/100mb --size-mb 100 --seed 1 --jobs 2 --stats
"""

import argparse
import bisect
import collections
import math
import multiprocessing
import os
import random
import re
import sys
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_TRAIN = os.path.join(os.path.dirname(HERE), "Corpus")

MIN_DOC = 20 * 1024
MAX_DOC = 200 * 1024
FILES_PER_DIR = 1000

# ---------------------------------------------------------------------------
# Tokenizer (used for training and for --stats)

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Slot markers live in the private-use area; they are single tokens.
SLOT_RE_CLASS = "\ue000-\ue0ff"
SEG_RE = re.compile(
    rf"[{CJK}]+|[0-9]+(?:\.[0-9]+)?%?|[A-Za-z][A-Za-z0-9+\-]*|[{SLOT_RE_CLASS}]|\S")
CJK_RUN_RE = re.compile(rf"[{CJK}]+")


class Tokenizer:
    """Greedy longest match (4..2 chars) over frequent n-grams mined from the
    training text; consecutive out-of-vocabulary characters are merged into
    one token (so unseen names come out as words)."""

    def __init__(self, vocab):
        self.vocab = vocab

    @staticmethod
    def mine(texts, min_count=3):
        counts = collections.Counter()
        for t in texts:
            for run in CJK_RUN_RE.findall(t):
                n = len(run)
                for k in (2, 3, 4):
                    for i in range(n - k + 1):
                        counts[run[i:i + k]] += 1
        vocab = set()
        for g, c in counts.items():
            if c < min_count:
                continue
            if len(g) > 2:
                # keep longer n-grams only when they are about as frequent as
                # their parts (a cheap cohesion test)
                a, b = counts[g[:-1]], counts[g[1:]]
                if c * 3 < min(a, b):
                    continue
            vocab.add(g)
        return Tokenizer(vocab)

    def split_run(self, run, out):
        vocab = self.vocab
        i, n = 0, len(run)
        oov_start = -1
        while i < n:
            for k in (4, 3, 2):
                if i + k <= n and run[i:i + k] in vocab:
                    if oov_start >= 0:
                        out.append(run[oov_start:i])
                        oov_start = -1
                    out.append(run[i:i + k])
                    i += k
                    break
            else:
                if oov_start < 0:
                    oov_start = i
                i += 1
        if oov_start >= 0:
            out.append(run[oov_start:])

    def tokenize(self, text):
        out = []
        for m in SEG_RE.finditer(text):
            s = m.group()
            if "\u3400" <= s[0] <= "\ufaff" and not ("\ue000" <= s[0] <= "\ue0ff"):
                self.split_run(s, out)
            else:
                out.append(s)
        return out


# ---------------------------------------------------------------------------
# Name generation: Zipfian draws over an unbounded space, mapped to strings
# by a fixed integer mix so that rank k always gives the same name.

PLACE_CHARS = (
    "安宝北滨昌城川淳大丹德定东峰丰凤福阜高古固广桂海汉和河横红洪华怀黄惠吉嘉建江"
    "金晋静靖九康兰乐黎丽利连林临灵龙隆鲁罗洛马茂梅蒙孟宁平屏浦普齐祁乾清庆泉仁荣"
    "瑞三沙山陕上韶邵沈盛石寿舒顺朔松泰汤桃天通同潼万旺威卫文闻武西溪霞仙湘襄祥新"
    "兴秀阳杨沂义翼永右余榆玉元原岳云运泽长昭镇正郑中舟朱庄涿左忻代繁应浑灵壶沁屯"
    "稷芮陵蒲侯曲翟隰汾岚柳交孝介汶晓崞盂阳泾渭凉古浪民勤")
GIVEN_CHARS = (
    "安宝斌彬波博才超辰成承诚楚春聪丹德东栋朵芳飞斐峰锋芬凤福刚国海涵浩昊和红宏"
    "鸿华辉慧佳嘉建剑健杰洁金锦晶静娟军俊凯楷可坤兰磊莉丽亮林琳玲龙璐曼梅敏明娜"
    "楠宁鹏平萍琦琪强勤青清晴庆秋蓉瑞若珊少胜诗淑爽顺思松涛婷彤伟巍文雯霞翔小晓"
    "心欣新鑫星兴秀旭轩雪亚妍艳燕阳洋瑶怡毅英莹勇宇雨玉钰元媛越悦云芸泽哲振志智"
    "忠舟卓子梓紫")
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈"
    "曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔"
    "康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
BRAND_CHARS = (
    "华盛鑫泰恒通达远创新宏源瑞丰德利兴隆昌荣亿宇航博智科信诚康安顺晟嘉益捷锐"
    "力能凯龙海天润恒众联合中翔铭辉耀峰程")
INDUSTRIES = (
    "科技", "机械制造", "电子", "汽车服务", "农业开发", "旅游", "酒店管理", "信息技术",
    "物流", "建筑工程", "医药", "食品", "新能源", "电气", "数控设备", "教育科技",
    "文化传媒", "养老服务", "电子商务", "化工", "煤业", "智能装备", "网络科技", "果业")
SCHOOL_KINDS = (
    "职业技术学校", "职业中学", "职业技术教育中心", "中等专业学校", "职业中专",
    "卫生学校", "高级职业中学校", "综合职业技术学校", "职业学校", "技工学校",
    "财贸学校", "农业学校", "艺术学校", "体育运动学校")
MAJORS = (
    "机电技术应用", "计算机应用", "护理", "会计事务", "汽车运用与维修", "旅游服务与管理",
    "酒店服务与管理", "电子商务", "中餐烹饪", "学前教育", "数控技术应用", "电子技术应用",
    "农业机械使用与维护", "现代农艺技术", "畜禽生产技术", "建筑工程施工", "工业机器人技术应用",
    "服装设计与工艺", "美容美体", "物流服务与管理", "城市轨道交通运营服务", "无人机操控与维护",
    "新能源汽车运用与维修", "大数据技术应用", "康养休闲旅游服务", "中医康复技术", "audiovisual",
    "动漫与游戏制作", "网络信息安全", "果蔬花卉生产技术", "煤矿机电", "社会保障事务")
MAJORS = tuple(m for m in MAJORS if not m.isascii())
PROVINCES = (
    ("山西省", "晋"), ("甘肃省", "甘"), ("河北省", "冀"), ("河南省", "豫"), ("陕西省", "陕"),
    ("山东省", "鲁"), ("内蒙古自治区", "内蒙古"), ("湖南省", "湘"), ("湖北省", "鄂"),
    ("四川省", "川"), ("江西省", "赣"), ("安徽省", "皖"), ("贵州省", "黔"), ("云南省", "云"),
    ("宁夏回族自治区", "宁"), ("青海省", "青"), ("辽宁省", "辽"), ("吉林省", "吉"))
PRIZES = ("一等奖", "二等奖", "三等奖", "金奖", "银奖", "铜奖", "优秀奖")
SEED_CITIES = ("大同", "临汾", "吕梁", "凉州", "高平", "武威", "晋城")
SEED_PROVINCES = ("山西省", "甘肃省", "山西", "甘肃")

_MASK = (1 << 64) - 1


def _mix(k, salt):
    h = (k * 0x9E3779B97F4A7C15 + salt * 0xBF58476D1CE4E5B9) & _MASK
    h ^= h >> 31
    h = (h * 0x94D049BB133111EB) & _MASK
    h ^= h >> 29
    return h


def _chars(h, alphabet, n):
    m = len(alphabet)
    out = []
    for _ in range(n):
        out.append(alphabet[h % m])
        h //= m
    return "".join(out), h


def zipf_rank(rnd, a):
    """Rank k >= 1 with P(K >= k) ~ k**-a (unbounded, heavy tailed)."""
    u = rnd()
    if u < 1e-12:
        u = 1e-12
    return int(u ** (-1.0 / a))


_name_cache = {}


def place_name(k):
    key = ("p", k)
    v = _name_cache.get(key)
    if v is None:
        h = _mix(k, 1)
        n = 2 if k < 40000 else 3
        v, _ = _chars(h, PLACE_CHARS, n)
        if len(_name_cache) < 500000:
            _name_cache[key] = v
    return v


def person_name(k):
    h = _mix(k, 2)
    # common surnames first: index skewed towards 0
    s = SURNAMES[int(len(SURNAMES) * ((h % 10007) / 10007.0) ** 2)]
    h //= 10007
    given, _ = _chars(h // 2, GIVEN_CHARS, 1 + h % 2)
    return s + given


def company_name(k):
    h = _mix(k, 3)
    brand, h = _chars(h, BRAND_CHARS, 2)
    place = place_name(1 + h % 3000)
    h //= 3000
    ind = INDUSTRIES[h % len(INDUSTRIES)]
    h //= len(INDUSTRIES)
    form = ("有限公司", "有限责任公司", "股份有限公司", "集团有限公司")[h % 4]
    return place + brand + ind + form


def school_name(k, city):
    h = _mix(k, 4)
    kind = SCHOOL_KINDS[h % len(SCHOOL_KINDS)]
    h //= len(SCHOOL_KINDS)
    r = h % 10
    if r < 6:
        return place_name(k + 7) + ("县", "区", "市", "县", "县", "")[h % 6] + kind
    if r < 8:
        return city + "市第" + "一二三四五六七八九十"[h % 10] + kind
    return city + "市" + place_name(k + 11) + kind


# ---------------------------------------------------------------------------
# Training

BOOKMARK_RE = re.compile(r"\[(?:bookmark|image)[^\]]*\]")
CLEAN_RE = re.compile(r"<sup>|</sup>|\*\*|^#+\s*", re.M)
TOC_RE = re.compile(r"(\.{3,}|…{2,}).*$|\t\d+\s*$")
CITE_RE = re.compile(r"《[^《》\n]{4,90}》\s*[（(][^（）()\n]{0,30}〔\s*\d{4}\s*〕\s*\d+\s*号\s*[）)]")
NUM_RE = re.compile(r"\d+")
H_CHAP = re.compile(r"^\s*(\d{1,2})\s*[．.、]\s*([^\d\s.．][^\t]{1,24})$")
H_SEC = re.compile(r"^\s*\d{1,2}\.\d{1,2}\s*([^\d\s.．][^\t]{1,28})$")
H_SUB = re.compile(r"^\s*\d{1,2}\.\d{1,2}\.\d{1,2}\s*([^\d\s.．][^\t]{1,30})$")
H_CN = re.compile(r"^\s*[一二三四五六七八九十]+、\s*([^\t]{2,24})$")
H_CNP = re.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]\s*([^\t。]{2,24})$")
CASE_TITLE = re.compile(r"^\s*案例\s*\d+(?:\.\d+)?[：:\s]\s*(\S[^\t]{3,40}?)\s*(?:\t\d+)?$")
GOOD_TITLE = re.compile(rf"^[{CJK}“《][^，,]")
CITE_TOPIC = re.compile(r"《(?:[^《》]*?关于)?([^《》]{4,60}?)的(通知|意见|决定|方案)》")

# slots (private use area): 1..8 digit number, year, month, day, city, province,
# citation, school, company, person, county, major, prize
S_NUM0 = 0xE000  # + digit count (1..8)
S_YEAR = "\ue010"
S_MONTH = "\ue011"
S_DAY = "\ue012"
S_CITY = "\ue013"
S_PROV = "\ue014"
S_CITE = "\ue015"
S_SCHOOL = "\ue016"
S_COMPANY = "\ue017"
S_PERSON = "\ue018"
S_COUNTY = "\ue019"
S_MAJOR = "\ue01a"
S_PRIZE = "\ue01b"
SLOT_RE = re.compile(f"[{SLOT_RE_CLASS}]")

DEFAULT_CHAPTERS = ("基本情况", "学生发展", "教育教学", "服务贡献", "文化传承", "国际合作",
                    "产教融合", "发展保障", "面临挑战", "政策落实", "教师队伍建设")
TABLE_HEADS = ("学校数（所）", "在校生数（人）", "招生数（人）", "毕业生数（人）", "专任教师（人）",
               "双师型教师（人）", "生师比", "占地面积（m2）", "校舍建筑面积（m2）",
               "仪器设备总值（万元）", "生均仪器设备值（元）", "图书（万册）", "就业率（%）",
               "对口就业率（%）", "升学人数（人）", "培训人次", "实训工位数（个）", "经费投入（万元）",
               "合作企业（家）", "获奖数（项）", "专业数（个）", "满意度（%）")
TABLE_TOPICS = ("办学规模", "设施设备", "师资队伍", "毕业生就业", "技能大赛获奖", "经费投入",
                "专业设置", "校企合作", "社会培训", "招生", "教学资源")


def _numslot(m):
    s = m.group()
    end = m.end()
    text = m.string
    nxt = text[end:end + 1]
    if len(s) == 4 and s[:2] in ("19", "20"):
        return S_YEAR
    if nxt == "月" and len(s) <= 2:
        return S_MONTH
    if nxt == "日" and len(s) <= 2:
        return S_DAY
    return chr(S_NUM0 + min(len(s), 8))


class Model:
    pass


def train(paths):
    texts = []
    for p in sorted(paths):
        with open(p, "rb") as f:
            raw = f.read()
        try:
            texts.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            texts.append(raw.decode("gb18030", errors="replace"))
    if not texts:
        sys.exit("no training .txt files found")

    paras, chapters, sections, subsections, cn_heads, case_titles = [], [], [], [], [], []
    topics = []
    for t in texts:
        t = BOOKMARK_RE.sub("", t)
        t = CLEAN_RE.sub("", t)
        for m in CITE_TOPIC.finditer(t):
            topic = m.group(1)
            if "〈" not in topic and len(topic) <= 40:
                topics.append(NUM_RE.sub(_numslot, topic))
        for line in t.splitlines():
            line = line.strip().replace("\u3000", "")
            if not line:
                continue
            mc = CASE_TITLE.match(line)
            if mc:
                case_titles.append(mc.group(1).strip())
                continue
            if TOC_RE.search(line) and len(line) < 60:
                line = TOC_RE.sub("", line).strip()
                is_toc = True
            else:
                is_toc = False
            for rx, bucket in ((H_SUB, subsections), (H_SEC, sections), (H_CNP, cn_heads),
                               (H_CN, chapters), (H_CHAP, chapters)):
                mh = rx.match(line)
                if mh:
                    title = mh.groups()[-1].strip()
                    if GOOD_TITLE.match(title) and "。" not in title and "%" not in title:
                        bucket.append(title)
                    break
            if is_toc or len(line) < 30 or "\t" in line:
                continue
            if not ("。" in line or "，" in line or "," in line):
                continue
            # drop leading list numbering: (一)… / 1.… / 1．…
            line = re.sub(r"^([（(][一二三四五六七八九十\d]+[）)]|\d+[.．、](?!\d)|[一二三四五六七八九十]+、)", "", line)
            line = CITE_RE.sub(S_CITE, line)
            for c in SEED_CITIES:
                line = line.replace(c, S_CITY)
            for pv in SEED_PROVINCES:
                line = line.replace(pv, S_PROV)
            line = line.replace(S_PROV + "省", S_PROV)
            line = NUM_RE.sub(_numslot, line)
            paras.append(line)

    tok = Tokenizer.mine(paras)
    # order-2 chain over tokens, paragraph = sequence from <s> <s> to </s>
    succ = collections.defaultdict(list)
    START = ("", "")
    for p in paras:
        toks = tok.tokenize(p)
        # Re-insert the (dropped) whitespace between Latin/number tokens as they
        # appear in the text: keep it simple, join CJK tightly, spaces otherwise.
        w1, w2 = START
        for t in toks:
            succ[(w1, w2)].append(t)
            w1, w2 = w2, t
        succ[(w1, w2)].append(None)

    # Compress unbranching runs: trans[state] = list of (text, next_state)
    ids = {}
    for s in succ:
        ids[s] = len(ids)
    trans = [None] * len(ids)
    for s, nexts in succ.items():
        cache = {}
        opts = []
        for t in nexts:
            r = cache.get(t)
            if r is None:
                if t is None:
                    r = ("", -1)
                else:
                    parts = [t]
                    cur = (s[1], t)
                    steps = 0
                    while steps < 80:
                        nx = succ.get(cur)
                        if nx is None:
                            break
                        first = nx[0]
                        if first is None or any(x != first for x in nx):
                            break
                        parts.append(first)
                        cur = (cur[1], first)
                        steps += 1
                    nid = ids.get(cur, -1)
                    r = (_join_tokens(parts), nid)
                cache[t] = r
            opts.append(r)
        trans[ids[s]] = tuple(opts)

    m = Model()
    m.trans = trans
    m.start = ids[START]
    m.tokenizer = tok
    m.chapters = _dedupe(chapters) or list(DEFAULT_CHAPTERS)
    m.sections = _dedupe(sections + cn_heads) or list(DEFAULT_CHAPTERS)
    m.subsections = _dedupe(subsections + cn_heads) or m.sections
    m.case_titles = _dedupe(case_titles) or m.sections
    halves = []
    for t in m.case_titles + m.subsections:
        for h in re.split(r"[，,\s]+", t):
            if 3 <= len(h) <= 12:
                halves.append(h)
    m.halves = _dedupe(halves) or ["产教融合促发展"]
    m.topics = _dedupe(topics) or ["做好职业教育质量年度报告编制工作"]
    m.n_paras = len(paras)
    m.n_states = len(trans)
    return m


def _join_tokens(parts):
    out = []
    prev_ascii = False
    for t in parts:
        a = t[:1].isascii() and t[:1].isalnum()
        if a and prev_ascii:
            out.append(" ")
        out.append(t)
        prev_ascii = t[-1:].isascii() and t[-1:].isalnum()
    return "".join(out)


def _dedupe(xs):
    seen = set()
    out = []
    for x in xs:
        if x and x not in seen:
            seen.add(x)
            out.append(x)
    return out


# ---------------------------------------------------------------------------
# Document generation

MODEL = None  # set before workers fork


class Doc:
    def __init__(self, model, rng, index):
        self.m = model
        self.rng = rng
        self.rnd = rng.random
        self.year = 2016 + int(self.rnd() * 10)
        pv = PROVINCES[min(zipf_rank(self.rnd, 1.2) - 1, len(PROVINCES) - 1)]
        self.prov, self.prov_abbr = pv
        self.city = place_name(zipf_rank(self.rnd, 0.9))
        self.case_no = 0
        self.fill = self._fill

    # ----- slots
    def _fill(self, mo):
        c = ord(mo.group())
        rnd = self.rnd
        if c < 0xE010:
            n = c - S_NUM0
            if n <= 1:
                return str(int(rnd() * 10))
            lo = 10 ** (n - 1)
            return str(lo + int(rnd() * 9 * lo))
        ch = mo.group()
        if ch == S_YEAR:
            return str(self.year - int(rnd() * rnd() * 4))
        if ch == S_MONTH:
            return str(1 + int(rnd() * 12))
        if ch == S_DAY:
            return str(1 + int(rnd() * 28))
        if ch == S_CITY:
            return self.city
        if ch == S_PROV:
            return self.prov
        if ch == S_CITE:
            return self.citation()
        if ch == S_SCHOOL:
            return school_name(zipf_rank(rnd, 0.8), self.city)
        if ch == S_COMPANY:
            return company_name(zipf_rank(rnd, 0.7))
        if ch == S_PERSON:
            return person_name(zipf_rank(rnd, 0.6))
        if ch == S_COUNTY:
            return place_name(zipf_rank(rnd, 0.9)) + ("县", "区", "县", "市")[int(rnd() * 4)]
        if ch == S_MAJOR:
            return MAJORS[min(zipf_rank(rnd, 1.0), len(MAJORS)) - 1]
        if ch == S_PRIZE:
            return PRIZES[int(rnd() * len(PRIZES))]
        return ""

    def expand(self, s):
        return SLOT_RE.sub(self.fill, s)

    def pick(self, xs):
        return xs[int(self.rnd() * len(xs))]

    # ----- pieces
    def citation(self):
        rnd = self.rnd
        r = rnd()
        year = self.year - int(rnd() * 3)
        num = zipf_rank(rnd, 0.8)
        if num > 400:
            num = 1 + num % 400
        topic = SLOT_RE.sub(self.fill, self.pick(self.m.topics))
        if rnd() < 0.3:
            topic = "做好%d年%s工作" % (year, self.pick(self.m.halves))
        if r < 0.45:
            issuer, code = self.prov + "教育厅", self.prov_abbr + self.pick(("教职成函", "教职成", "教职成函", "教办函"))
        elif r < 0.65:
            issuer, code = self.city + "市教育局", self.city[0] + self.pick(("教职成函", "教职成", "教发"))
        elif r < 0.8:
            issuer, code = self.prov + "人民政府办公厅", self.prov_abbr + self.pick(("政办发", "政办函"))
        elif r < 0.9:
            issuer, code = self.city + "市人民政府", self.city[0] + self.pick(("政发", "政办发"))
        else:
            issuer, code = "教育部", self.pick(("教职成", "教职成函", "教职成厅函"))
        kind = self.pick(("通知", "通知", "通知", "意见", "实施方案"))
        sp = " " if rnd() < 0.15 else ""
        if rnd() < 0.8:
            return "《%s关于%s的%s》（%s〔%d〕%s%d%s号）" % (issuer, topic, kind, code, year, sp, num, sp)
        return "《%s关于%s的%s》(%s〔%d〕%d号)" % (issuer, topic, kind, code, year, num)

    def paragraph(self, max_chars=1200):
        trans = self.m.trans
        rnd = self.rnd
        s = self.m.start
        out = []
        n = 0
        while s >= 0:
            opts = trans[s]
            text, s = opts[int(rnd() * len(opts))]
            out.append(text)
            n += len(text)
            if n > max_chars:
                break
        p = "".join(out)
        if s >= 0:  # cut at the last sentence end
            k = p.rfind("。")
            p = p[:k + 1] if k > 40 else p + "。"
        if rnd() < 0.35:
            t = self.template()
            if rnd() < 0.5:
                p = t + p
            else:
                p = p + t
        return self.expand(p)

    def template(self):
        rnd = self.rnd
        r = int(rnd() * 8)
        if r == 0:
            return f"{S_SCHOOL}与{S_COMPANY}共建{S_MAJOR}专业实训基地，年培训\ue003人次。"
        if r == 1:
            return f"{S_COUNTY}{S_SCHOOL}教师{S_PERSON}在{S_PROV}职业院校技能大赛教学能力比赛中获{S_PRIZE}。"
        if r == 2:
            return f"{S_SCHOOL}{S_PERSON}同学在{S_YEAR}年全国职业院校技能大赛{S_MAJOR}赛项中荣获{S_PRIZE}。"
        if r == 3:
            return f"{S_SCHOOL}{S_MAJOR}专业与{S_COMPANY}开展订单培养，\ue002名学生签订就业协议。"
        if r == 4:
            return f"全市共有{S_SCHOOL}、{S_SCHOOL}等\ue002所学校参与，覆盖{S_COUNTY}、{S_COUNTY}等地。"
        if r == 5:
            return f"根据{S_CITE}要求，{S_SCHOOL}制定了实施方案。"
        if r == 6:
            return f"{S_COMPANY}向{S_SCHOOL}捐赠设备价值\ue003万元，校长{S_PERSON}表示将深化校企合作。"
        return f"{S_PERSON}老师牵头的{S_MAJOR}名师工作室带动{S_COUNTY}\ue002所学校\ue003名教师共同提升。"

    def table(self, ch, k):
        rnd = self.rnd
        ncol = 2 + int(rnd() * 5)
        heads = []
        pool = TABLE_HEADS
        while len(heads) < ncol - 1:
            h = pool[int(rnd() * len(pool))]
            if h not in heads:
                heads.append(h)
        lines = ["表%d.%d %s市%d年%s情况表" % (ch, k, self.city, self.year, self.pick(TABLE_TOPICS))]
        first = self.pick(("年份", "项目", "学校", "县区", "专业"))
        lines.append("\t".join([first] + heads))
        nrows = 2 + int(rnd() * 7)
        for i in range(nrows):
            if first == "年份":
                label = "%d年" % (self.year - nrows + 1 + i)
            elif first == "学校":
                label = school_name(zipf_rank(rnd, 0.8), self.city)
            elif first == "县区":
                label = place_name(zipf_rank(rnd, 0.9)) + "县"
            elif first == "专业":
                label = self.pick(MAJORS)
            else:
                label = str(i + 1)
            cells = [label]
            for h in heads:
                if "%" in h or "比" in h:
                    cells.append("%.2f" % (rnd() * 100))
                elif "万" in h:
                    cells.append("%.2f" % (rnd() * 10 ** (1 + int(rnd() * 4))))
                else:
                    cells.append(str(int(rnd() * 10 ** (1 + int(rnd() * 5)))))
            lines.append("\t".join(cells))
        if rnd() < 0.3:
            lines.append("数据来源：%s市教育局%d年统计报表" % (self.city, self.year))
        return "\n".join(lines)

    def case(self, ch, k):
        rnd = self.rnd
        lines = []
        if rnd() < 0.55:
            title = self.pick(self.m.case_titles)
            if rnd() < 0.5:
                title = self.pick(self.m.halves) + "，" + self.pick(self.m.halves)
            lines.append("案例 %d.%d %s" % (ch, k, title))
        else:
            self.case_no += 1
            if rnd() < 0.5:
                lines.append("【案例分享%d】%s" % (self.case_no, self.expand(S_SCHOOL)))
            else:
                lines.append("【案例分享%d】%s" % (self.case_no, self.pick(self.m.halves)))
        for _ in range(2 + int(rnd() * 3)):
            lines.append(self.paragraph(700))
        return "\n".join(lines)

    def title(self):
        r = self.rnd()
        y = self.year
        c = self.city
        if r < 0.45:
            return "%s市中等职业教育质量年度报告（%d）" % (c, y)
        if r < 0.65:
            return "%s%s市中等职业教育年度质量报告（%d年度）" % (self.prov, c, y)
        if r < 0.85:
            return "%s质量年度报告（%d年）" % (school_name(zipf_rank(self.rnd, 0.8), c), y)
        if r < 0.93:
            return "%s县中等职业教育质量年度报告（%d）" % (place_name(zipf_rank(self.rnd, 0.9)), y)
        return "%s市推进职业教育改革发展行动计划（%d—%d年）" % (c, y, y + 2)

    def generate(self, target):
        rnd = self.rnd
        m = self.m
        parts = [self.title(), ""]
        size = len(parts[0].encode()) + 2
        if rnd() < 0.7:
            pre = "根据%s精神，%s" % (self.citation(), self.paragraph(600))
            parts += ["前 言", pre]
        cn_style = rnd() < 0.25
        chapters = list(m.chapters)
        self.rng.shuffle(chapters)
        ch = 0
        cases_in_doc = 0
        while size < target:
            ch += 1
            ctitle = chapters[(ch - 1) % len(chapters)]
            block = []
            if cn_style:
                block.append("%s、%s" % (_cn_num(ch), ctitle))
            else:
                block.append("%d%s%s" % (ch, self.pick(("．", "．", ". ", ".")), ctitle))
            nsec = 2 + int(rnd() * 5)
            tables = cases = 0
            for si in range(1, nsec + 1):
                stitle = self.pick(m.sections)
                if cn_style:
                    block.append("（%s）%s" % (_cn_num(si), stitle))
                else:
                    block.append("%d.%d %s" % (ch, si, stitle))
                for _ in range(1 + int(rnd() * 3)):
                    block.append(self.paragraph())
                if rnd() < 0.4:
                    for ssi in range(1, 2 + int(rnd() * 3)):
                        sst = self.pick(m.subsections)
                        if cn_style:
                            block.append("%d．%s" % (ssi, sst))
                        else:
                            block.append("%d.%d.%d %s" % (ch, si, ssi, sst))
                        for _ in range(1 + int(rnd() * 2)):
                            block.append(self.paragraph())
                if rnd() < 0.3:
                    tables += 1
                    block.append(self.table(ch, tables))
                if rnd() < 0.3:
                    cases += 1
                    cases_in_doc += 1
                    block.append(self.case(ch, cases))
                if rnd() < 0.15:
                    block.append("为贯彻落实%s，%s" % (self.citation(), self.paragraph(400)))
            text = "\n".join(block)
            size += len(text.encode()) + 1
            parts.append(text)
            if size > target + 8192:
                break
        data = ("\n".join(parts) + "\n").encode()
        if len(data) > target + 4096:
            # trim to the last paragraph end before the target (keeps ±2%)
            cut = data.rfind(b"\n", 0, target)
            if cut > MIN_DOC // 2:
                data = data[:cut + 1]
        return data


def _cn_num(n):
    d = "零一二三四五六七八九"
    if n <= 10:
        return "十" if n == 10 else d[n]
    if n < 20:
        return "十" + d[n - 10]
    return d[n // 10] + "十" + (d[n % 10] if n % 10 else "")


def doc_path(out_dir, i):
    return os.path.join(out_dir, "p%02d" % (i // FILES_PER_DIR), "d%07d.txt" % i)


def plan_sizes(total, seed):
    rng = random.Random("plan/%d/%d" % (seed, total))
    sizes = []
    remaining = total
    lo, hi = math.log(MIN_DOC), math.log(MAX_DOC)
    while remaining > 0:
        s = int(math.exp(lo + rng.random() * (hi - lo)))
        if remaining - s < MIN_DOC:
            s = remaining if remaining <= MAX_DOC else remaining // 2
        sizes.append(s)
        remaining -= s
    return sizes


# ---------------------------------------------------------------------------
# Stats

def text_stats(data, tok):
    text = data.decode()
    bigrams = set()
    for line in text.split("\n"):
        if len(line) > 1:
            bigrams.update(map(str.__add__, line[:-1], line[1:]))
    words = set()
    runs = set()
    for m in SEG_RE.finditer(text):
        s = m.group()
        if "\u3400" <= s[0] <= "\ufaff":
            runs.add(s)
        else:
            words.add(s)
    out = []
    split = tok.split_run
    for r in runs:
        split(r, out)
    words.update(out)
    return bigrams, words


# ---------------------------------------------------------------------------
# Driver

def _work(args):
    out_dir, seed, start, sizes, want_stats = args
    m = MODEL
    nbytes = 0
    bigrams, words = set(), set()
    for j, target in enumerate(sizes):
        i = start + j
        rng = random.Random("doc/%d/%d" % (seed, i))
        data = Doc(m, rng, i).generate(target)
        path = doc_path(out_dir, i)
        with open(path, "wb", buffering=1 << 20) as f:
            f.write(data)
        nbytes += len(data)
        if want_stats:
            b, w = text_stats(data, m.tokenizer)
            bigrams |= b
            words |= w
    return nbytes, (bigrams if want_stats else None), (words if want_stats else None)


def main():
    global MODEL
    ap = argparse.ArgumentParser(
        description="Write N MB of deterministic, report-like Chinese documents "
                    "(trained on the seed corpus) for zhisou scale tests.",
        epilog="Convention: write under Tools/generated/ (git-ignored), e.g. "
               "Tools/generate_corpus.py Tools/generated/100mb --size-mb 100 --jobs 2")
    ap.add_argument("out_dir", help="output folder (created if missing; its pNN/dNNNNNNN.txt files are replaced)")
    ap.add_argument("--size-mb", type=float, required=True, help="total size in MB (MiB, ±2%%)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--train", default=DEFAULT_TRAIN,
                    help="folder of .txt training documents (default: Corpus/ next to Tools/)")
    ap.add_argument("--jobs", type=int, default=1,
                    help="worker processes (output is identical for any value)")
    ap.add_argument("--stats", action="store_true",
                    help="also report distinct character bigrams and distinct words in the output")
    args = ap.parse_args()

    t0 = time.time()
    paths = [os.path.join(args.train, f) for f in os.listdir(args.train) if f.endswith(".txt")]
    MODEL = train(paths)
    t_train = time.time() - t0

    total = int(args.size_mb * 1024 * 1024)
    sizes = plan_sizes(total, args.seed)
    ndocs = len(sizes)
    for d in range((ndocs - 1) // FILES_PER_DIR + 1):
        os.makedirs(os.path.join(args.out_dir, "p%02d" % d), exist_ok=True)

    chunk = 16
    tasks = [(args.out_dir, args.seed, s, sizes[s:s + chunk], args.stats)
             for s in range(0, ndocs, chunk)]
    nbytes = 0
    bigrams, words = set(), set()
    if args.jobs > 1:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(args.jobs) as pool:
            results = pool.imap_unordered(_work, tasks)
            for nb, b, w in results:
                nbytes += nb
                if args.stats:
                    bigrams |= b
                    words |= w
    else:
        for t in tasks:
            nb, b, w = _work(t)
            nbytes += nb
            if args.stats:
                bigrams |= b
                words |= w
    # remove documents left over from an earlier, larger run in the same folder
    stale = 0
    for d in sorted(os.listdir(args.out_dir)):
        sub = os.path.join(args.out_dir, d)
        if not (re.fullmatch(r"p\d{2,}", d) and os.path.isdir(sub)):
            continue
        for f in os.listdir(sub):
            mf = re.fullmatch(r"d(\d{7,})\.txt", f)
            if mf and int(mf.group(1)) >= ndocs:
                os.remove(os.path.join(sub, f))
                stale += 1
    if stale:
        print("removed %d stale documents from an earlier run" % stale)
    dt = time.time() - t0
    print("generated %d files, %d bytes (%.1f MB) in %.1f s (training %.1f s), %.2f MB/s -> %s"
          % (ndocs, nbytes, nbytes / 2 ** 20, dt, t_train, nbytes / 2 ** 20 / dt, args.out_dir))
    if args.stats:
        print("stats: %d distinct character bigrams, %d distinct words (tokenizer vocabulary %d n-grams)"
              % (len(bigrams), len(words), len(MODEL.tokenizer.vocab)))


if __name__ == "__main__":
    main()
