#include "infra/chunked_vector.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace peak::infra {
namespace {

TEST(ChunkedVector, GrowsWithoutMovingWhatItHolds) {
  chunked_vector<std::string, 4> v;
  EXPECT_TRUE(v.empty());
  v.push_back("zero");
  const std::string* first = &v[0];
  for (int i = 1; i < 37; ++i)
    v.emplace_back(std::to_string(i));
  EXPECT_EQ(v.size(), 37u);
  EXPECT_EQ(v.chunks(), 10u);
  EXPECT_EQ(first, &v[0]) << "elements never move when the container grows";
  EXPECT_EQ(v[0], "zero");
  EXPECT_EQ(v[36], "36");
  EXPECT_EQ(v.back(), "36");
  int n = 0;
  for (const std::string& s : v)
    EXPECT_EQ(s, n++ == 0 ? std::string("zero") : std::to_string(n - 1));
  EXPECT_EQ(n, 37);
}

TEST(ChunkedVector, ReserveAllocatesChunksAndClearKeepsThem) {
  chunked_vector<int, 8> v;
  v.reserve(20);
  EXPECT_EQ(v.chunks(), 3u);
  EXPECT_EQ(v.size(), 0u);
  for (int i = 0; i < 20; ++i)
    v.push_back(i);
  EXPECT_EQ(v.chunks(), 3u) << "reserved chunks are used before new ones";
  v.clear();
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(v.chunks(), 3u);
  v.push_back(5);
  EXPECT_EQ(v[0], 5);
}

TEST(ChunkedVector, DestroysEveryElementOnce) {
  const auto counter = std::make_shared<int>(0);
  {
    chunked_vector<std::shared_ptr<int>, 2> v;
    for (int i = 0; i < 5; ++i)
      v.push_back(counter);
    EXPECT_EQ(counter.use_count(), 6);
    v.clear();
    EXPECT_EQ(counter.use_count(), 1);
    v.push_back(counter);
    chunked_vector<std::shared_ptr<int>, 2> moved(std::move(v));
    EXPECT_EQ(counter.use_count(), 2);
    EXPECT_EQ(moved.size(), 1u);
  }
  EXPECT_EQ(counter.use_count(), 1);
}

}  // namespace
}  // namespace peak::infra
