#include "evidence/sha256.hpp"

#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define PEAK_SHA256_X86 1
#endif

namespace peak::evidence {
namespace {

[[noreturn]] void digest_failure(const char* what) noexcept {
  std::fprintf(stderr, "peak: libcrypto SHA-256 failed in %s\n", what);
  std::abort();
}

/// The SHA-256 implementation, fetched once from the default provider.
const EVP_MD* sha256_md() noexcept {
  static const EVP_MD* md = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (fetched == nullptr)
      digest_failure("EVP_MD_fetch");
    return fetched;
  }();
  return md;
}

EVP_MD_CTX* new_context() noexcept {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr)
    digest_failure("EVP_MD_CTX_new");
  return ctx;
}

void init(EVP_MD_CTX* ctx) noexcept {
  if (EVP_DigestInit_ex2(ctx, sha256_md(), nullptr) != 1)
    digest_failure("EVP_DigestInit_ex2");
}

void feed(EVP_MD_CTX* ctx, const void* data, std::size_t size) noexcept {
  if (size != 0 && EVP_DigestUpdate(ctx, data, size) != 1)
    digest_failure("EVP_DigestUpdate");
}

sha256_digest final(EVP_MD_CTX* ctx) noexcept {
  sha256_digest out{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx, out.data(), &length) != 1 || length != out.size())
    digest_failure("EVP_DigestFinal_ex");
  return out;
}

struct context_deleter {
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};

}  // namespace

struct sha256::context {
  std::unique_ptr<EVP_MD_CTX, context_deleter> ctx{new_context()};
};

sha256::sha256() : context_(std::make_unique<context>()) {
  init(context_->ctx.get());
}

sha256::~sha256() = default;
sha256::sha256(sha256&&) noexcept = default;
sha256& sha256::operator=(sha256&&) noexcept = default;

void sha256::reset() noexcept {
  init(context_->ctx.get());
}

void sha256::update(const void* data, std::size_t size) noexcept {
  feed(context_->ctx.get(), data, size);
}

sha256_digest sha256::finish() noexcept {
  return final(context_->ctx.get());
}

sha256_digest sha256::hash(std::string_view text) noexcept {
  // One context per thread, reused: the audit log hashes every record.
  thread_local const std::unique_ptr<EVP_MD_CTX, context_deleter> ctx{new_context()};
  init(ctx.get());
  feed(ctx.get(), text.data(), text.size());
  return final(ctx.get());
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

bool sha256_uses_hardware() noexcept {
#if defined(PEAK_SHA256_X86)
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) == 0)
    return false;
  return (ebx & (1u << 29)) != 0;
#else
  return false;
#endif
}

}  // namespace peak::evidence
