#include "CZlib.h"

#include <limits.h>
#include <string.h>
#include <zlib.h>

long zs_inflate_raw(const uint8_t *input, size_t input_length, uint8_t *output,
                    size_t output_length) {
  if (input_length > UINT_MAX || output_length > UINT_MAX) return -1;
  z_stream stream;
  memset(&stream, 0, sizeof stream);
  // Negative window bits: raw DEFLATE, as zip entries hold it.
  if (inflateInit2(&stream, -MAX_WBITS) != Z_OK) return -1;
  stream.next_in = (Bytef *)input;
  stream.avail_in = (uInt)input_length;
  stream.next_out = output;
  stream.avail_out = (uInt)output_length;
  int status = inflate(&stream, Z_FINISH);
  long written = (long)stream.total_out;
  inflateEnd(&stream);
  return status == Z_STREAM_END ? written : -1;
}

long zs_deflate_raw(const uint8_t *input, size_t input_length, uint8_t *output,
                    size_t output_capacity) {
  if (input_length > UINT_MAX || output_capacity > UINT_MAX) return -1;
  z_stream stream;
  memset(&stream, 0, sizeof stream);
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK)
    return -1;
  stream.next_in = (Bytef *)input;
  stream.avail_in = (uInt)input_length;
  stream.next_out = output;
  stream.avail_out = (uInt)output_capacity;
  int status = deflate(&stream, Z_FINISH);
  long written = (long)stream.total_out;
  deflateEnd(&stream);
  return status == Z_STREAM_END ? written : -1;
}

uint32_t zs_crc32(const uint8_t *data, size_t length) {
  uLong crc = crc32(0L, Z_NULL, 0);
  while (length > 0) {
    uInt chunk = length > UINT_MAX ? UINT_MAX : (uInt)length;
    crc = crc32(crc, data, chunk);
    data += chunk;
    length -= chunk;
  }
  return (uint32_t)crc;
}
