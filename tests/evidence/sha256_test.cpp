#include "evidence/sha256.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

namespace {

using peak::evidence::sha256;
using peak::evidence::to_hex;

// FIPS 180-4 / NIST CSRC example vectors.
TEST(Sha256, EmptyString) {
  EXPECT_EQ(sha256::hash_hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, Abc) {
  EXPECT_EQ(sha256::hash_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, TwoBlockMessage) {
  EXPECT_EQ(sha256::hash_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, FourBlockMessage) {
  EXPECT_EQ(sha256::hash_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                             "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST(Sha256, MillionA) {
  sha256 h;
  const std::string chunk(1000, 'a');
  for (int i = 0; i < 1000; ++i)
    h.update(chunk);
  EXPECT_EQ(to_hex(h.finish()), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, StreamingMatchesOneShotForEverySplit) {
  std::string text;
  for (int i = 0; i < 300; ++i)
    text += static_cast<char>('a' + i % 26);
  const auto expected = sha256::hash(text);
  for (std::size_t split = 0; split <= text.size(); split += 7) {
    sha256 h;
    h.update(std::string_view(text).substr(0, split));
    h.update(std::string_view(text).substr(split));
    EXPECT_EQ(h.finish(), expected) << "split at " << split;
  }
}

TEST(Sha256, MatchesKnownDigestsAcrossBlockBoundaries) {
  // 55, 56, 63, 64 and 65 times 'a' (padding edges); digests from coreutils sha256sum.
  const std::pair<std::size_t, const char*> cases[] = {
      {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
      {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
      {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
      {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
      {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"}};
  for (const auto& [n, hex] : cases)
    EXPECT_EQ(sha256::hash_hex(std::string(n, 'a')), hex) << n;
}

TEST(Sha256, ResetStartsANewMessageAndMovedObjectsKeepState) {
  sha256 h;
  h.update("garbage");
  h.reset();
  h.update("ab");
  sha256 moved = std::move(h);
  moved.update("c");
  EXPECT_EQ(to_hex(moved.finish()),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, HashesFilesAndReportsMissingOnes) {
  const auto path = std::filesystem::temp_directory_path() / "peak_sha256_test.bin";
  {
    std::ofstream out(path, std::ios::binary);
    out << "abc";
  }
  std::error_code ec;
  const auto h = peak::evidence::hash_file(path, ec);
  EXPECT_FALSE(ec);
  EXPECT_EQ(h.size, 3u);
  EXPECT_EQ(h.sha256_hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::filesystem::remove(path);
  const auto missing = peak::evidence::hash_file(path, ec);
  EXPECT_TRUE(ec);
  EXPECT_TRUE(missing.sha256_hex.empty());
}

TEST(Sha256, RecognisesHexDigests) {
  EXPECT_TRUE(peak::evidence::is_sha256_hex(sha256::hash_hex("x")));
  EXPECT_FALSE(peak::evidence::is_sha256_hex("abc"));
  EXPECT_FALSE(peak::evidence::is_sha256_hex(std::string(64, 'G')));
}

}  // namespace
