#include "CZlib.h"

#include <limits.h>
#include <string.h>
#include <zlib.h>

/* A stream over `input` into `output`; 0 when either is longer than zlib's counters. */
static int prepare(z_stream *stream, const uint8_t *input, size_t input_length,
                   uint8_t *output, size_t output_length) {
  if (input_length > UINT_MAX || output_length > UINT_MAX) return 0;
  memset(stream, 0, sizeof *stream);
  stream->next_in = (Bytef *)input;
  stream->avail_in = (uInt)input_length;
  stream->next_out = output;
  stream->avail_out = (uInt)output_length;
  return 1;
}

long zs_inflate_raw(const uint8_t *input, size_t input_length, uint8_t *output,
                    size_t output_length) {
  z_stream stream;
  if (!prepare(&stream, input, input_length, output, output_length)) return -1;
  // Negative window bits: raw DEFLATE, as zip entries hold it.
  if (inflateInit2(&stream, -MAX_WBITS) != Z_OK) return -1;
  int status = inflate(&stream, Z_FINISH);
  long written = (long)stream.total_out;
  inflateEnd(&stream);
  return status == Z_STREAM_END ? written : -1;
}

long zs_deflate_raw(const uint8_t *input, size_t input_length, uint8_t *output,
                    size_t output_capacity) {
  z_stream stream;
  if (!prepare(&stream, input, input_length, output, output_capacity)) return -1;
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK)
    return -1;
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
