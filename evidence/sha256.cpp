#include "evidence/sha256.hpp"

#include <cstring>
#include <fstream>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#define PEAK_SHA256_X86 1
#endif

namespace peak::evidence {
namespace {

constexpr std::array<std::uint32_t, 64> round_constants = {
    0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u,
    0xab1c5ed5u, 0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu,
    0x9bdc06a7u, 0xc19bf174u, 0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu,
    0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau, 0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u,
    0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u, 0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu,
    0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u, 0xa2bfe8a1u, 0xa81a664bu,
    0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u, 0x19a4c116u,
    0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
    0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u,
    0xc67178f2u};

constexpr std::array<std::uint32_t, 8> initial_state = {0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u,
                                                        0xa54ff53au, 0x510e527fu, 0x9b05688cu,
                                                        0x1f83d9abu, 0x5be0cd19u};

inline std::uint32_t rotr(std::uint32_t x, unsigned n) noexcept {
  return (x >> n) | (x << (32u - n));
}

inline std::uint32_t load_be32(const std::uint8_t* p) noexcept {
  return (static_cast<std::uint32_t>(p[0]) << 24) | (static_cast<std::uint32_t>(p[1]) << 16) |
         (static_cast<std::uint32_t>(p[2]) << 8) | static_cast<std::uint32_t>(p[3]);
}

void compress_portable(std::uint32_t* state, const std::uint8_t* data, std::size_t count) noexcept {
  std::uint32_t w[64];
  for (std::size_t block = 0; block < count; ++block, data += 64) {
    for (std::size_t i = 0; i < 16; ++i)
      w[i] = load_be32(data + 4 * i);
    for (std::size_t i = 16; i < 64; ++i) {
      const std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      const std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    std::uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    std::uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (std::size_t i = 0; i < 64; ++i) {
      const std::uint32_t s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
      const std::uint32_t ch = (e & f) ^ (~e & g);
      const std::uint32_t t1 = h + s1 + ch + round_constants[i] + w[i];
      const std::uint32_t s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
      const std::uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
      const std::uint32_t t2 = s0 + maj;
      h = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
  }
}

#if defined(PEAK_SHA256_X86)
/// SHA-NI block function (the message schedule and round structure of Intel's reference).
__attribute__((target("sha,sse4.1,ssse3"))) void compress_shani(std::uint32_t* state,
                                                                const std::uint8_t* data,
                                                                std::size_t count) noexcept {
  const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
  __m128i tmp = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state));
  __m128i state1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4));
  tmp = _mm_shuffle_epi32(tmp, 0xB1);                // CDAB
  state1 = _mm_shuffle_epi32(state1, 0x1B);          // EFGH
  __m128i state0 = _mm_alignr_epi8(tmp, state1, 8);  // ABEF
  state1 = _mm_blend_epi16(state1, tmp, 0xF0);       // CDGH

  for (std::size_t block = 0; block < count; ++block, data += 64) {
    const __m128i abef_save = state0;
    const __m128i cdgh_save = state1;
    __m128i m[4];
    for (int i = 0; i < 16; ++i) {
      __m128i w;
      if (i < 4) {
        w = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16 * i)),
                             byte_swap);
      } else {
        __m128i t = _mm_sha256msg1_epu32(m[(i - 4) & 3], m[(i - 3) & 3]);
        t = _mm_add_epi32(t, _mm_alignr_epi8(m[(i - 1) & 3], m[(i - 2) & 3], 4));
        w = _mm_sha256msg2_epu32(t, m[(i - 1) & 3]);
      }
      m[i & 3] = w;
      __m128i k = _mm_add_epi32(
          w, _mm_loadu_si128(reinterpret_cast<const __m128i*>(round_constants.data() + 4 * i)));
      state1 = _mm_sha256rnds2_epu32(state1, state0, k);
      k = _mm_shuffle_epi32(k, 0x0E);
      state0 = _mm_sha256rnds2_epu32(state0, state1, k);
    }
    state0 = _mm_add_epi32(state0, abef_save);
    state1 = _mm_add_epi32(state1, cdgh_save);
  }

  tmp = _mm_shuffle_epi32(state0, 0x1B);        // FEBA
  state1 = _mm_shuffle_epi32(state1, 0xB1);     // DCHG
  state0 = _mm_blend_epi16(tmp, state1, 0xF0);  // DCBA
  state1 = _mm_alignr_epi8(state1, tmp, 8);     // ABEF
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state), state0);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), state1);
}

bool cpu_has_sha_extensions() noexcept {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) == 0)
    return false;
  const bool ssse3 = (ecx & (1u << 9)) != 0;
  const bool sse41 = (ecx & (1u << 19)) != 0;
  if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) == 0)
    return false;
  const bool sha = (ebx & (1u << 29)) != 0;
  return ssse3 && sse41 && sha;
}
#endif

using compress_fn = void (*)(std::uint32_t*, const std::uint8_t*, std::size_t) noexcept;

compress_fn select_compress() noexcept {
#if defined(PEAK_SHA256_X86)
  if (cpu_has_sha_extensions())
    return &compress_shani;
#endif
  return &compress_portable;
}

const compress_fn active_compress = select_compress();

}  // namespace

void sha256::reset() noexcept {
  state_ = initial_state;
  buffered_ = 0;
  total_bytes_ = 0;
}

void sha256::compress(const std::uint8_t* blocks, std::size_t count) noexcept {
  active_compress(state_.data(), blocks, count);
}

void sha256::update(const void* data, std::size_t size) noexcept {
  const auto* p = static_cast<const std::uint8_t*>(data);
  total_bytes_ += size;
  if (buffered_ != 0) {
    const std::size_t take = std::min(size, buffer_.size() - buffered_);
    std::memcpy(buffer_.data() + buffered_, p, take);
    buffered_ += take;
    p += take;
    size -= take;
    if (buffered_ < buffer_.size())
      return;
    compress(buffer_.data(), 1);
    buffered_ = 0;
  }
  const std::size_t blocks = size / 64;
  if (blocks != 0) {
    compress(p, blocks);
    p += blocks * 64;
    size -= blocks * 64;
  }
  if (size != 0) {
    std::memcpy(buffer_.data(), p, size);
    buffered_ = size;
  }
}

sha256_digest sha256::finish() noexcept {
  const std::uint64_t bit_length = total_bytes_ * 8u;
  buffer_[buffered_++] = 0x80;
  if (buffered_ > 56) {
    std::memset(buffer_.data() + buffered_, 0, buffer_.size() - buffered_);
    compress(buffer_.data(), 1);
    buffered_ = 0;
  }
  std::memset(buffer_.data() + buffered_, 0, 56 - buffered_);
  for (std::size_t i = 0; i < 8; ++i)
    buffer_[56 + i] = static_cast<std::uint8_t>(bit_length >> (56 - 8 * i));
  compress(buffer_.data(), 1);
  buffered_ = 0;
  sha256_digest out{};
  for (std::size_t i = 0; i < 8; ++i) {
    out[4 * i] = static_cast<std::uint8_t>(state_[i] >> 24);
    out[4 * i + 1] = static_cast<std::uint8_t>(state_[i] >> 16);
    out[4 * i + 2] = static_cast<std::uint8_t>(state_[i] >> 8);
    out[4 * i + 3] = static_cast<std::uint8_t>(state_[i]);
  }
  return out;
}

sha256_digest sha256::hash(std::string_view text) noexcept {
  sha256 h;
  h.update(text);
  return h.finish();
}

std::string sha256::hash_hex(std::string_view text) {
  return to_hex(hash(text));
}

void to_hex(const sha256_digest& digest, char* out) noexcept {
  static constexpr char digits[] = "0123456789abcdef";
  for (std::size_t i = 0; i < digest.size(); ++i) {
    out[2 * i] = digits[digest[i] >> 4];
    out[2 * i + 1] = digits[digest[i] & 0x0F];
  }
}

std::string to_hex(const sha256_digest& digest) {
  std::string out(64, '0');
  to_hex(digest, out.data());
  return out;
}

bool is_sha256_hex(std::string_view text) noexcept {
  if (text.size() != 64)
    return false;
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
      return false;
  }
  return true;
}

file_hash hash_file(const std::filesystem::path& path, std::error_code& ec) {
  ec.clear();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ec = std::make_error_code(std::errc::no_such_file_or_directory);
    if (std::filesystem::exists(path, ec) && !ec)
      ec = std::make_error_code(std::errc::permission_denied);
    else if (!ec)
      ec = std::make_error_code(std::errc::no_such_file_or_directory);
    return {};
  }
  sha256 h;
  std::vector<char> buffer(1u << 16);
  std::uint64_t total = 0;
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const std::streamsize got = in.gcount();
    if (got > 0) {
      h.update(buffer.data(), static_cast<std::size_t>(got));
      total += static_cast<std::uint64_t>(got);
    }
  }
  if (in.bad()) {
    ec = std::make_error_code(std::errc::io_error);
    return {};
  }
  return file_hash{to_hex(h.finish()), total};
}

namespace detail {
sha256_digest sha256_portable(std::string_view text) noexcept {
  // Same padding as sha256::finish(), fed to the portable block function.
  std::array<std::uint32_t, 8> state = initial_state;
  const auto* p = reinterpret_cast<const std::uint8_t*>(text.data());
  const std::size_t full = text.size() / 64;
  compress_portable(state.data(), p, full);
  std::array<std::uint8_t, 128> tail{};
  const std::size_t rest = text.size() - full * 64;
  if (rest != 0)
    std::memcpy(tail.data(), p + full * 64, rest);
  tail[rest] = 0x80;
  const std::size_t blocks = rest + 1 + 8 > 64 ? 2 : 1;
  const std::uint64_t bits = static_cast<std::uint64_t>(text.size()) * 8u;
  for (std::size_t i = 0; i < 8; ++i)
    tail[blocks * 64 - 1 - i] = static_cast<std::uint8_t>(bits >> (8 * i));
  compress_portable(state.data(), tail.data(), blocks);
  sha256_digest out{};
  for (std::size_t i = 0; i < 8; ++i) {
    out[4 * i] = static_cast<std::uint8_t>(state[i] >> 24);
    out[4 * i + 1] = static_cast<std::uint8_t>(state[i] >> 16);
    out[4 * i + 2] = static_cast<std::uint8_t>(state[i] >> 8);
    out[4 * i + 3] = static_cast<std::uint8_t>(state[i]);
  }
  return out;
}
}  // namespace detail

bool sha256_uses_hardware() noexcept {
#if defined(PEAK_SHA256_X86)
  return active_compress == &compress_shani;
#else
  return false;
#endif
}

}  // namespace peak::evidence
