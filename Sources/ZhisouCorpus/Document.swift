/// Metadata that describes one source document (from the manifest or inferred from its text).
public struct DocumentMetadata: Codable, Sendable, Equatable {
  /// Path of the file relative to the corpus directory, e.g. `linfen-2024-report.txt`.
  public var file: String
  public var title: String
  public var region: String
  public var province: String
  public var year: Int?
  /// `report` or `policy`.
  public var kind: String
  /// Why a field could not be found, when it was inferred and something was missing.
  public var notes: [String]

  public init(
    file: String, title: String, region: String, province: String = "", year: Int?,
    kind: String, notes: [String] = []
  ) {
    self.file = file
    self.title = title
    self.region = region
    self.province = province
    self.year = year
    self.kind = kind
    self.notes = notes
  }
}

/// A policy document cited by a unit, e.g. 《…的通知》（晋教职成函〔2024〕73号）.
public struct PolicyCitation: Codable, Sendable, Equatable, Hashable {
  /// The title between 《》, spaces normalised.
  public var title: String
  /// Normalised document number, e.g. `晋教职成函〔2024〕73号`; nil for a title without one.
  public var documentNumber: String?
  /// Issuer code of the number, e.g. `晋教职成函`.
  public var issuerCode: String?
  public var year: Int?
  public var number: Int?

  public init(
    title: String, documentNumber: String? = nil, issuerCode: String? = nil, year: Int? = nil,
    number: Int? = nil
  ) {
    self.title = title
    self.documentNumber = documentNumber
    self.issuerCode = issuerCode
    self.year = year
    self.number = number
  }
}

/// A document read from the corpus and split into units.
public struct Document: Sendable {
  public var metadata: DocumentMetadata
  /// The units, in document order; they do not overlap.
  public var units: [Unit]
  /// For each unit (same index as `units`), the policy citations it contains.
  public var citations: [[PolicyCitation]]
  /// Non-fatal problems met while reading (invalid bytes replaced, …), each naming file and line.
  public var warnings: [String]

  public init(
    metadata: DocumentMetadata, units: [Unit], citations: [[PolicyCitation]],
    warnings: [String] = []
  ) {
    self.metadata = metadata
    self.units = units
    self.citations = citations
    self.warnings = warnings
  }
}
