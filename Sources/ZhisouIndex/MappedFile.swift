#if canImport(Glibc)
  import Glibc
#endif

/// A read-only memory mapping of an index file: opening costs a system call, not a read.
final class MappedFile: @unchecked Sendable {
  let name: String
  let bytes: UnsafeRawBufferPointer
  private let mapping: UnsafeMutableRawPointer?
  private let length: Int

  init(path: String, name: String) throws(IndexError) {
    self.name = name
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else {
      if errno == ENOENT { throw .corrupt(file: name, what: "file is missing") }
      throw .corrupt(file: name, what: "cannot open: \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw .corrupt(file: name, what: "cannot stat") }
    length = Int(info.st_size)
    if length == 0 {
      mapping = nil
      bytes = UnsafeRawBufferPointer(start: nil, count: 0)
      return
    }
    let p = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0)
    guard let p, p != MAP_FAILED else { throw .corrupt(file: name, what: "cannot map") }
    mapping = p
    bytes = UnsafeRawBufferPointer(start: p, count: length)
  }

  deinit {
    if let mapping { munmap(mapping, length) }
  }
}
