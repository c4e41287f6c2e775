#pragma once
/// The NO-LIVE lock. `live` mode exists only as a lock: a live request is refused unless
///   1. the explicit enable flag is set (e.g. `--enable-live` on the command line), AND
///   2. every instrument of the request is on the allowlist for the exact account
///      (exact, case-sensitive match; wildcards are refused), AND
///   3. the venue is a loopback address: 127.0.0.0/8, ::1 or `localhost` (no DNS lookup:
///      any other name is refused, since it could resolve anywhere).
/// Every failed condition is reported (not just the first), each with its reason code.
/// Shadow and paper requests are not live and always pass.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace peak::evidence {

/// One allowlisted instrument/account pair (from the configuration).
struct live_allowlist_entry {
  std::string instrument;
  std::string account;
};

/// What a session asks for.
struct live_request {
  std::string mode;                      ///< shadow | paper | live
  std::vector<std::string> instruments;  ///< instruments the session would trade
  std::string account;
  std::string venue;         ///< host, host:port, [v6]:port or URL (ws://127.0.0.1:9000/x)
  bool enable_flag = false;  ///< explicit operator enable (never defaulted on)
  std::vector<live_allowlist_entry> allowlist;
};

/// Why a live request was refused.
enum class live_refusal : std::uint8_t {
  unknown_mode,         ///< mode is not shadow, paper or live
  enable_flag_missing,  ///< the explicit enable flag is absent
  allowlist_empty,      ///< no allowlist entries at all
  allowlist_wildcard,   ///< an allowlist entry uses '*' or is empty (refused on principle)
  account_missing,      ///< the request names no account
  instrument_missing,   ///< the request names no instrument
  not_allowlisted,      ///< an instrument/account pair is not on the allowlist
  venue_missing,        ///< the request names no venue
  venue_not_loopback,   ///< the venue is not 127.0.0.0/8, ::1 or localhost
};

/// Stable name of a refusal (for logs, audit and --json).
[[nodiscard]] std::string_view to_string(live_refusal r) noexcept;

/// The lock's verdict: allowed, or every reason it was refused.
struct live_lock_decision {
  bool allowed = false;
  std::vector<live_refusal> refusals;
  std::vector<std::string> failures;  ///< one sentence per refusal, same order
  /// All explanations in one line ("live mode refused: ...; ...").
  [[nodiscard]] std::string summary() const;
  [[nodiscard]] bool refused_for(live_refusal r) const noexcept;
};

/// Older name of live_lock_decision.
using live_lock_result = live_lock_decision;

/// Parses an allowlist entry written `ACCOUNT:INSTRUMENT` (the config form). Returns false
/// if there is not exactly one ':' with text on both sides.
[[nodiscard]] bool parse_allowlist_entry(std::string_view text, live_allowlist_entry& out);

/// Builds a request from config-style values; entries that do not parse become empty entries
/// (which the lock refuses as allowlist_wildcard).
[[nodiscard]] live_request make_live_request(std::string mode, std::vector<std::string> instruments,
                                             std::string account, std::string venue,
                                             bool enable_flag,
                                             const std::vector<std::string>& allowlist);

/// Applies the lock to a request.
[[nodiscard]] live_lock_decision check_live_lock(const live_request& request);

/// Extracts the host from `venue` (URL, host:port, [v6]:port or bare host).
[[nodiscard]] std::string venue_host(std::string_view venue);

/// True if `venue`'s host is a loopback address: dotted-quad 127.x.y.z, ::1 (any spelling of
/// it, e.g. 0:0:0:0:0:0:0:1) or `localhost` (case-insensitive).
[[nodiscard]] bool is_loopback_venue(std::string_view venue);

}  // namespace peak::evidence
