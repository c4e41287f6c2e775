#include "evidence/evidence_pack.hpp"

#include <gtest/gtest.h>

#include "evidence/audit_log.hpp"
#include "evidence/evidence_index.hpp"
#include "evidence/json.hpp"
#include "evidence/pack_validator.hpp"
#include "evidence/sha256.hpp"
#include "pack_test_util.hpp"

namespace {

namespace fs = std::filesystem;
using namespace peak::evidence;
using namespace peak::evidence::testing;

TEST(EvidencePack, WritesEveryRequiredFile) {
  const auto root = scratch_dir("pack_files");
  const auto dir = write_sample_pack(sample_request(root));
  for (const auto name : required_pack_files())
    EXPECT_TRUE(fs::exists(dir / std::string(name))) << name;
  EXPECT_TRUE(fs::exists(dir / "manifest.json"));
  EXPECT_TRUE(verify_audit_log(dir / "audit_log.jsonl").ok);
  EXPECT_TRUE(json_is_valid(read_file(dir / "run_manifest.json")));
  EXPECT_TRUE(json_is_valid(read_file(dir / "manifest.json")));
}

TEST(EvidencePack, RunIdIsDeterministicWithSuffixForExistingDirectory) {
  const auto root = scratch_dir("pack_ids");
  const auto a = write_sample_pack(sample_request(root));
  const auto b = write_sample_pack(sample_request(root));
  const std::string ida = a.filename().string();
  EXPECT_EQ(ida.rfind("paper-", 0), 0u);
  EXPECT_EQ(ida.size(), std::string("paper-").size() + 16);
  EXPECT_EQ(b.filename().string(), ida + "-2");
  // A different seed gives a different key.
  const auto c = write_sample_pack(sample_request(root, 8));
  EXPECT_NE(c.filename().string().substr(0, ida.size()), ida);
}

TEST(EvidencePack, RedactsSecretsInConfigSnapshot) {
  const auto root = scratch_dir("pack_redact");
  const auto dir = write_sample_pack(sample_request(root));
  const auto snapshot = read_file(dir / "config_snapshot.toml");
  EXPECT_EQ(snapshot.find("abcdEFGH1234"), std::string::npos);
  EXPECT_NE(snapshot.find("[REDACTED]"), std::string::npos);
  EXPECT_EQ(read_file(dir / "run_manifest.json").find("abcdEFGH1234"), std::string::npos);
}

TEST(EvidencePack, RedactsSecretsInFreeTextConfigValuesOfTheSnapshot) {
  auto request = sample_request(scratch_dir("pack_redact_free_text"));
  request.config_text += "[session]\nrun_reason = \"rotate creds, password=hunter2\"\n";
  request.run_reason = "rotate creds, password=hunter2";
  const auto dir = write_sample_pack(request);
  const auto snapshot = read_file(dir / "config_snapshot.toml");
  EXPECT_EQ(snapshot.find("hunter2"), std::string::npos) << snapshot;
  EXPECT_NE(snapshot.find("password=[REDACTED]"), std::string::npos) << snapshot;
  EXPECT_EQ(read_file(dir / "run_manifest.json").find("hunter2"), std::string::npos);
  EXPECT_EQ(validate_pack(dir).exit_code, 0);  // config_hash is the redacted snapshot's
}

TEST(EvidencePack, ConfigHashIsHashOfSnapshot) {
  const auto root = scratch_dir("pack_config_hash");
  evidence_pack_writer pack(sample_request(root));
  EXPECT_EQ(pack.config_hash(),
            sha256::hash_hex(read_file(pack.directory() / "config_snapshot.toml")));
}

TEST(EvidencePack, ManifestListsEverySizeAndHash) {
  const auto root = scratch_dir("pack_manifest");
  const auto dir = write_sample_pack(sample_request(root));
  const auto manifest = read_file(dir / "manifest.json");
  for (const auto name : required_pack_files()) {
    std::error_code ec;
    const auto h = hash_file(dir / std::string(name), ec);
    EXPECT_NE(manifest.find(h.sha256_hex), std::string::npos) << name;
  }
}

TEST(EvidencePack, RefusesMissingRunReasonOperatorOrBadMode) {
  const auto root = scratch_dir("pack_refuse");
  auto r = sample_request(root);
  r.run_reason.clear();
  EXPECT_THROW(evidence_pack_writer{r}, std::invalid_argument);
  r = sample_request(root);
  r.operator_id.clear();
  EXPECT_THROW(evidence_pack_writer{r}, std::invalid_argument);
  r = sample_request(root);
  r.mode = "yolo";
  EXPECT_THROW(evidence_pack_writer{r}, std::invalid_argument);
  r = sample_request(root);
  r.inputs.push_back({"missing", root / "nope.csv"});
  EXPECT_THROW(evidence_pack_writer{r}, std::runtime_error);
  EXPECT_FALSE(fs::exists(root / "runs"));  // nothing created on refusal
}

TEST(EvidencePack, DeterministicContentIsByteIdenticalAcrossRuns) {
  const auto root = scratch_dir("pack_determinism");
  const auto a = write_sample_pack(sample_request(root), 5);
  const auto b = write_sample_pack(sample_request(root), 99);  // other wall clock
  for (const auto name :
       {"config_snapshot.toml", "equity.csv", "trades.csv", "orders.csv", "audit_log.jsonl"})
    EXPECT_EQ(read_file(a / name), read_file(b / name)) << name;
  EXPECT_NE(read_file(a / "run_manifest.json"), read_file(b / "run_manifest.json"));
  const auto digest = [](const fs::path& d) {
    const auto m = read_file(d / "manifest.json");
    const auto pos = m.find("\"determinism_digest\": \"");
    return m.substr(pos + 23, 64);
  };
  EXPECT_EQ(digest(a), digest(b));
}

TEST(EvidencePack, IndexesRunsAppendOnly) {
  const auto root = scratch_dir("pack_index");
  auto r = sample_request(root);
  r.index_run = true;
  write_sample_pack(r);
  write_sample_pack(r);
  std::vector<evidence_index_entry> rows;
  std::string error;
  ASSERT_TRUE(index_list(root / "runs" / "registry.sqlite", rows, error)) << error;
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].run_id, rows[0].run_id + "-2");
  EXPECT_EQ(rows[0].determinism_digest, rows[1].determinism_digest);
  EXPECT_EQ(rows[0].operator_id, "tester");
  EXPECT_FALSE(index_list(root / "nope.sqlite", rows, error));
}

TEST(EvidencePack, FormatsUtcWithNanoseconds) {
  EXPECT_EQ(format_utc(0), "1970-01-01T00:00:00.000000000Z");
  EXPECT_EQ(format_utc(1'700'000'000'123'456'789), "2023-11-14T22:13:20.123456789Z");
}

TEST(EvidencePack, ProbesGitOrSaysUnknown) {
  const auto info = probe_git(scratch_dir("not_a_repo"));
  EXPECT_EQ(info.commit, "unknown");
  EXPECT_FALSE(info.available);
  const auto here = probe_git(PEAK_SOURCE_DIR);
  if (here.available) {
    EXPECT_EQ(here.commit.size(), 40u);
  }
}

}  // namespace
