#ifndef ZHISOU_CZLIB_H
#define ZHISOU_CZLIB_H

#include <stddef.h>
#include <stdint.h>

/// Inflates raw DEFLATE data (a zip entry's, no zlib or gzip wrapper) of `input_length`
/// bytes into `output`, which must be exactly as long as the data inflates to: returns
/// the bytes written, or -1 when the data is corrupt, ends early or would overflow
/// `output` (a zip bomb's entry cannot write past what its header declared).
long zs_inflate_raw(const uint8_t *input, size_t input_length, uint8_t *output,
                    size_t output_length);
/// Deflates `input` as raw DEFLATE data into `output`: returns the bytes written, or -1
/// when `output` is too small. Tests make zip archives with it, compressed as Word's are.
long zs_deflate_raw(const uint8_t *input, size_t input_length, uint8_t *output,
                    size_t output_capacity);
/// The CRC-32 (IEEE, as zip archives store it) of `length` bytes at `data`.
uint32_t zs_crc32(const uint8_t *data, size_t length);

#endif
