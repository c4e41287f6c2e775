#include "infra/id_index.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <utility>

namespace peak::infra {
namespace {

void fill(id_index& index, std::uint64_t n) {
  for (std::uint64_t id = 1; id <= n; ++id)
    index.insert(id * 7919, static_cast<std::uint32_t>(id));
}

void expect_all(const id_index& index, std::uint64_t n) {
  for (std::uint64_t id = 1; id <= n; ++id)
    ASSERT_EQ(index.find(id * 7919), static_cast<std::int64_t>(id)) << id;
  EXPECT_EQ(index.find(7919 * (n + 1)), -1);
  EXPECT_EQ(index.find(0), -1);
}

TEST(IdIndex, FindsEverythingAcrossManyDoublings) {
  id_index index(4);
  fill(index, 100'000);  // 16 slots -> 262,144: 14 doublings
  EXPECT_EQ(index.size(), 100'000u);
  expect_all(index, 100'000);
  index.insert(7919, 42);  // overwrite keeps the size
  EXPECT_EQ(index.size(), 100'000u);
  EXPECT_EQ(index.find(7919), 42);
  index.insert(0, 1);  // id 0 is never stored
  EXPECT_EQ(index.find(0), -1);
}

TEST(IdIndex, FindsEverythingWithTablesFromThePageReserve) {
  ASSERT_TRUE(page_reserve::instance().start(std::size_t{8} << 20));
  id_index index(4);
  fill(index, 50'000);
  expect_all(index, 50'000);
}

TEST(IdIndex, CopiesMovesAndClears) {
  id_index a;
  fill(a, 3'000);
  id_index b(a);
  a.insert(1, 9);
  EXPECT_EQ(b.find(1), -1) << "a copy is independent";
  expect_all(b, 3'000);
  id_index c(std::move(b));
  expect_all(c, 3'000);
  b.insert(5, 6);  // a moved-from index is still usable
  EXPECT_EQ(b.find(5), 6);
  a = c;
  expect_all(a, 3'000);
  EXPECT_EQ(a.find(1), -1);
  c.clear();
  EXPECT_EQ(c.size(), 0u);
  EXPECT_EQ(c.find(7919), -1);
  fill(c, 10);
  expect_all(c, 10);
}

}  // namespace
}  // namespace peak::infra
