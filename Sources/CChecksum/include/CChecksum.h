#ifndef ZHISOU_CCHECKSUM_H
#define ZHISOU_CCHECKSUM_H

#include <stddef.h>
#include <stdint.h>

/// CRC-32C (Castagnoli, as iSCSI, ext4 and RocksDB use it) of `length` bytes at `data`:
/// the checksum of every index region. The CPU's CRC32 instruction where there is one
/// (SSE 4.2, ARMv8 CRC), slicing-by-8 tables otherwise; the same value either way.
uint32_t zs_crc32c(const void *data, size_t length);
/// The CRC-32C of the bytes `crc` is the checksum of followed by `length` bytes at
/// `data`: a region written in several parts is checked as one
/// (`zs_crc32c_extend(zs_crc32c(a, m), b, n)` = the checksum of a then b).
uint32_t zs_crc32c_extend(uint32_t crc, const void *data, size_t length);
/// The same checksum computed with the tables only (tests compare the two paths).
uint32_t zs_crc32c_portable(const void *data, size_t length);

#endif
