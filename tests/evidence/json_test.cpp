#include "evidence/json.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <limits>

#include "evidence/evidence_pack.hpp"
#include "evidence/sha256.hpp"
#include "pack_test_util.hpp"

namespace {

using namespace peak::evidence;

TEST(JsonWriter, EscapesStrings) {
  EXPECT_EQ(json_quote("a\"b\\c\n\t\x01"), "\"a\\\"b\\\\c\\n\\t\\u0001\"");
  EXPECT_EQ(json_quote("héllo"), "\"héllo\"");  // UTF-8 passes through
  EXPECT_TRUE(json_is_valid(json_quote(std::string("x\0y\x1f", 4))));
}

TEST(JsonWriter, WritesFixedPointExactly) {
  std::string s;
  append_fixed(s, -1234, 2);
  EXPECT_EQ(s, "-12.34");
  s.clear();
  append_fixed(s, 5, 8);
  EXPECT_EQ(s, "0.00000005");
  s.clear();
  append_fixed(s, std::numeric_limits<std::int64_t>::min(), 8);
  EXPECT_EQ(s, "-92233720368.54775808");
  s.clear();
  append_fixed(s, 100'000'000, 8);
  EXPECT_EQ(s, "1.00000000");
  s.clear();
  append_fixed(s, 42, 0);
  EXPECT_EQ(s, "42");
}

TEST(JsonWriter, CompactAndPrettyAreValidAndStable) {
  for (const bool pretty : {false, true}) {
    json_writer w(pretty);
    w.begin_object();
    w.member("n", std::uint64_t{18'446'744'073'709'551'615u});
    w.member("i", std::int64_t{-9});
    w.member("d", 0.1);
    w.member("nan", std::numeric_limits<double>::quiet_NaN());
    w.key("px").value_fixed(10'125, 2);
    w.key("empty").begin_array().end_array();
    w.key("obj").begin_object().member("ok", true).end_object();
    w.key("raw").begin_object().raw_members("\"a\":1").end_object();
    w.end_object();
    const std::string text = w.finish();
    std::string error;
    EXPECT_TRUE(json_is_valid(text, &error)) << error << "\n" << text;
    if (!pretty) {
      EXPECT_EQ(text,
                "{\"n\":18446744073709551615,\"i\":-9,\"d\":0.1,\"nan\":null,\"px\":101.25,"
                "\"empty\":[],\"obj\":{\"ok\":true},\"raw\":{\"a\":1}}");
    }
  }
}

TEST(JsonCanonical, DropsWallClockAtAnyDepth) {
  std::string a;
  std::string b;
  ASSERT_TRUE(json_canonical("{\"x\": 1, \"wall_clock\": {\"t\": 5}, \"y\": {\"wall_clock\": 2}}",
                             {"wall_clock"}, a));
  ASSERT_TRUE(json_canonical("{\"x\":1,\"wall_clock\":{\"t\":99},\"y\":{}}", {"wall_clock"}, b));
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, "{\"x\":1,\"y\":{}}");
  EXPECT_FALSE(json_canonical("{bad", {}, a));
}

TEST(JsonDiff, NamesPathsOfDifferences) {
  std::vector<json_difference> d;
  ASSERT_TRUE(
      json_diff("{\"a\":1,\"b\":[1,2],\"c\":\"x\"}", "{\"a\":2,\"b\":[1],\"d\":true}", {}, d));
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d[0].path, "/a");
  EXPECT_EQ(d[1].path, "/b/1");
  EXPECT_EQ(d[1].right, "(absent)");
  EXPECT_EQ(d[2].path, "/c");
  EXPECT_EQ(d[3].path, "/d");
}

TEST(RealData, HashesRecordedCaptureAndPacksIt) {
  const std::filesystem::path file =
      std::filesystem::path(PEAK_SHARED_DATA_DIR) / "exchange-captures" / "COINBASE.ws.28.0";
  if (!std::filesystem::exists(file))
    GTEST_SKIP() << "shared data not present: " << file;
  std::error_code ec;
  const auto streamed = hash_file(file, ec);
  ASSERT_FALSE(ec);
  EXPECT_EQ(streamed.sha256_hex, sha256::hash_hex(peak::evidence::testing::read_file(file)));
  EXPECT_EQ(streamed.size, std::filesystem::file_size(file));
  // A pack over the real capture records its hash as the input's.
  const auto root = peak::evidence::testing::scratch_dir("real_data");
  auto request = peak::evidence::testing::sample_request(root);
  request.inputs = {{"market_data", file}};
  const auto dir = peak::evidence::testing::write_sample_pack(request);
  EXPECT_NE(peak::evidence::testing::read_file(dir / "run_manifest.json").find(streamed.sha256_hex),
            std::string::npos);
}

}  // namespace
