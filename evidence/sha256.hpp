#pragma once
/// SHA-256 through OpenSSL's libcrypto (EVP): streaming, one-shot and file hashing.
/// Used for the audit-log hash chain, file hashes in evidence manifests and run ids.

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

namespace peak::evidence {

/// A 32-byte SHA-256 digest.
using sha256_digest = std::array<std::uint8_t, 32>;

/// Streaming SHA-256: update() any number of times, then finish() once (or reset()).
/// An allocation or digest failure inside libcrypto terminates the process (never a wrong hash).
class sha256 {
public:
  sha256();
  ~sha256();
  sha256(sha256&&) noexcept;
  sha256& operator=(sha256&&) noexcept;
  sha256(const sha256&) = delete;
  sha256& operator=(const sha256&) = delete;

  /// Starts a new message.
  void reset() noexcept;
  /// Adds bytes to the message.
  void update(const void* data, std::size_t size) noexcept;
  /// Adds the bytes of a string to the message.
  void update(std::string_view text) noexcept { update(text.data(), text.size()); }
  /// Pads, returns the digest; the object must be reset() before reuse.
  [[nodiscard]] sha256_digest finish() noexcept;

  /// One-shot digest of a byte string.
  [[nodiscard]] static sha256_digest hash(std::string_view text) noexcept;
  /// One-shot digest as 64 lowercase hex characters.
  [[nodiscard]] static std::string hash_hex(std::string_view text);

private:
  struct context;  // wraps an EVP_MD_CTX, kept out of this header
  std::unique_ptr<context> context_;
};

/// 64 lowercase hex characters of a digest.
[[nodiscard]] std::string to_hex(const sha256_digest& digest);

/// Writes the 64 hex characters of a digest to `out` (no terminator); for hot paths.
void to_hex(const sha256_digest& digest, char* out) noexcept;

/// True if `text` is exactly 64 lowercase hex characters (the form we write).
[[nodiscard]] bool is_sha256_hex(std::string_view text) noexcept;

/// Result of hashing a file.
struct file_hash {
  std::string sha256_hex;  ///< 64 lowercase hex characters, empty on error
  std::uint64_t size = 0;  ///< bytes read
};

/// Streams a file through SHA-256. On failure `ec` is set and the result is empty.
[[nodiscard]] file_hash hash_file(const std::filesystem::path& path, std::error_code& ec);

/// True when the CPU has the x86 SHA extensions, which libcrypto then uses (run manifest).
[[nodiscard]] bool sha256_uses_hardware() noexcept;

}  // namespace peak::evidence
