#if canImport(Glibc)
  import Glibc
#endif

/// The build lock of an index directory (`LOCK`, flock): one build at a time; a second
/// one is refused with a clear message rather than interleaving generations.
final class IndexLock {
  private var fd: Int32

  init(directory: String) throws(IndexError) {
    fd = open(directory + "/" + IndexFormat.lockFile, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw .io(path: directory, what: String(cString: strerror(errno))) }
    if flock(fd, LOCK_EX | LOCK_NB) != 0 {
      close(fd)
      fd = -1
      throw .locked(directory: directory)
    }
  }

  func release() {
    if fd >= 0 {
      flock(fd, LOCK_UN)
      close(fd)
      fd = -1
    }
  }

  deinit { release() }
}
