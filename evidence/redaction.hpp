#pragma once
/// Redaction for evidence: the one redactor lives in infra/redaction.hpp; these names keep
/// evidence:: callers (apps/, bench/) compiling until they include it directly.

#include "infra/redaction.hpp"

namespace peak::evidence {
using infra::is_hash_key_name;
using infra::is_secret_key_name;
using infra::looks_like_secret_value;
using infra::redact_secrets;
using infra::redaction_marker;
using infra::redaction_result;
}  // namespace peak::evidence
