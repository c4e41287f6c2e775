#include "evidence/live_lock.hpp"

#include <cctype>
#include <vector>

namespace peak::evidence {
namespace {

bool parse_ipv4(std::string_view s, unsigned& first_octet) {
  unsigned parts = 0;
  std::size_t i = 0;
  while (parts < 4) {
    if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i])))
      return false;
    unsigned value = 0;
    std::size_t digits = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      value = value * 10 + static_cast<unsigned>(s[i] - '0');
      ++i;
      if (++digits > 3 || value > 255)
        return false;
    }
    if (digits > 1 && s[i - digits] == '0')  // no leading zeros (octal ambiguity)
      return false;
    if (parts == 0)
      first_octet = value;
    ++parts;
    if (parts < 4) {
      if (i >= s.size() || s[i] != '.')
        return false;
      ++i;
    }
  }
  return i == s.size();
}

/// True for any spelling of ::1 (compressed or not, leading zeros allowed).
bool is_ipv6_loopback(std::string_view s) {
  if (s.empty())
    return false;
  // Expand into 8 groups.
  std::vector<std::string_view> head;
  std::vector<std::string_view> tail;
  const std::size_t gap = s.find("::");
  auto split = [](std::string_view part, std::vector<std::string_view>& out) {
    if (part.empty())
      return true;
    std::size_t pos = 0;
    while (true) {
      const std::size_t colon = part.find(':', pos);
      const std::string_view g =
          part.substr(pos, colon == std::string_view::npos ? part.size() - pos : colon - pos);
      if (g.empty() || g.size() > 4)
        return false;
      for (const char c : g) {
        if (!std::isxdigit(static_cast<unsigned char>(c)))
          return false;
      }
      out.push_back(g);
      if (colon == std::string_view::npos)
        return true;
      pos = colon + 1;
    }
  };
  if (gap != std::string_view::npos) {
    if (s.find("::", gap + 1) != std::string_view::npos)
      return false;
    if (!split(s.substr(0, gap), head) || !split(s.substr(gap + 2), tail))
      return false;
    if (head.size() + tail.size() > 7)
      return false;
  } else {
    if (!split(s, head) || head.size() != 8)
      return false;
  }
  std::vector<std::string_view> groups(head);
  const std::size_t zeros = 8 - head.size() - tail.size();
  for (std::size_t i = 0; i < zeros; ++i)
    groups.push_back("0");
  groups.insert(groups.end(), tail.begin(), tail.end());
  for (std::size_t i = 0; i < 8; ++i) {
    unsigned value = 0;
    for (const char c : groups[i])
      value = value * 16 +
              static_cast<unsigned>(std::isdigit(static_cast<unsigned char>(c))
                                        ? c - '0'
                                        : std::tolower(static_cast<unsigned char>(c)) - 'a' + 10);
    if (value != (i == 7 ? 1u : 0u))
      return false;
  }
  return true;
}

}  // namespace

std::string_view to_string(live_refusal r) noexcept {
  switch (r) {
    case live_refusal::unknown_mode:
      return "unknown_mode";
    case live_refusal::enable_flag_missing:
      return "enable_flag_missing";
    case live_refusal::allowlist_empty:
      return "allowlist_empty";
    case live_refusal::allowlist_wildcard:
      return "allowlist_wildcard";
    case live_refusal::account_missing:
      return "account_missing";
    case live_refusal::instrument_missing:
      return "instrument_missing";
    case live_refusal::not_allowlisted:
      return "not_allowlisted";
    case live_refusal::venue_missing:
      return "venue_missing";
    case live_refusal::venue_not_loopback:
      return "venue_not_loopback";
  }
  return "unknown";
}

std::string live_lock_decision::summary() const {
  if (allowed)
    return "live mode allowed (enable flag set, allowlisted, loopback venue)";
  std::string s = "live mode refused: ";
  for (std::size_t i = 0; i < failures.size(); ++i) {
    if (i != 0)
      s += "; ";
    s += failures[i];
  }
  return s;
}

bool live_lock_decision::refused_for(live_refusal r) const noexcept {
  for (const auto x : refusals) {
    if (x == r)
      return true;
  }
  return false;
}

std::string venue_host(std::string_view venue) {
  std::string_view v = venue;
  const std::size_t scheme = v.find("://");
  if (scheme != std::string_view::npos)
    v.remove_prefix(scheme + 3);
  const std::size_t slash = v.find_first_of("/?#");
  if (slash != std::string_view::npos)
    v = v.substr(0, slash);
  const std::size_t at = v.rfind('@');
  if (at != std::string_view::npos)
    v.remove_prefix(at + 1);
  if (!v.empty() && v.front() == '[') {
    const std::size_t close = v.find(']');
    if (close == std::string_view::npos)
      return std::string(v);  // malformed: not loopback
    return std::string(v.substr(1, close - 1));
  }
  // Bare IPv6 (more than one colon) has no port.
  if (v.find(':') != v.rfind(':'))
    return std::string(v);
  const std::size_t colon = v.find(':');
  if (colon != std::string_view::npos)
    v = v.substr(0, colon);
  return std::string(v);
}

bool is_loopback_venue(std::string_view venue) {
  const std::string host = venue_host(venue);
  if (host.empty())
    return false;
  std::string lower;
  for (const char c : host)
    lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "localhost")
    return true;
  unsigned first = 0;
  if (parse_ipv4(lower, first))
    return first == 127;
  return is_ipv6_loopback(lower);
}

bool parse_allowlist_entry(std::string_view text, live_allowlist_entry& out) {
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 >= text.size() ||
      text.find(':', colon + 1) != std::string_view::npos)
    return false;
  out.account = std::string(text.substr(0, colon));
  out.instrument = std::string(text.substr(colon + 1));
  return true;
}

live_request make_live_request(std::string mode, std::vector<std::string> instruments,
                               std::string account, std::string venue, bool enable_flag,
                               const std::vector<std::string>& allowlist) {
  live_request r;
  r.mode = std::move(mode);
  r.instruments = std::move(instruments);
  r.account = std::move(account);
  r.venue = std::move(venue);
  r.enable_flag = enable_flag;
  for (const auto& text : allowlist) {
    live_allowlist_entry e;
    if (!parse_allowlist_entry(text, e))
      e = live_allowlist_entry{};
    r.allowlist.push_back(std::move(e));
  }
  return r;
}

live_lock_decision check_live_lock(const live_request& request) {
  live_lock_decision d;
  auto refuse = [&d](live_refusal r, std::string why) {
    d.refusals.push_back(r);
    d.failures.push_back(std::move(why));
  };
  if (request.mode == "shadow" || request.mode == "paper") {
    d.allowed = true;
    return d;
  }
  if (request.mode != "live") {
    refuse(live_refusal::unknown_mode, "mode '" + request.mode + "' is not shadow, paper or live");
    return d;
  }
  if (!request.enable_flag)
    refuse(live_refusal::enable_flag_missing,
           "the explicit live enable flag is not set (it is never on by default)");
  if (request.account.empty())
    refuse(live_refusal::account_missing, "no account given");
  if (request.instruments.empty())
    refuse(live_refusal::instrument_missing, "no instrument given");
  bool wildcard = false;
  for (const auto& e : request.allowlist) {
    if (e.instrument.empty() || e.account.empty() || e.instrument.find('*') != std::string::npos ||
        e.account.find('*') != std::string::npos)
      wildcard = true;
  }
  if (request.allowlist.empty())
    refuse(live_refusal::allowlist_empty, "the live allowlist is empty");
  else if (wildcard)
    refuse(live_refusal::allowlist_wildcard,
           "the live allowlist has an empty or wildcard entry; only exact instrument/account "
           "pairs are accepted");
  if (!request.account.empty()) {
    for (const auto& instrument : request.instruments) {
      bool found = false;
      for (const auto& e : request.allowlist) {
        if (e.instrument == instrument && e.account == request.account &&
            e.instrument.find('*') == std::string::npos)
          found = true;
      }
      if (!found)
        refuse(live_refusal::not_allowlisted, "instrument '" + instrument + "' on account '" +
                                                  request.account + "' is not on the allowlist");
    }
  }
  if (request.venue.empty())
    refuse(live_refusal::venue_missing, "no venue given");
  else if (!is_loopback_venue(request.venue))
    refuse(live_refusal::venue_not_loopback, "venue host '" + venue_host(request.venue) +
                                                 "' is not loopback (127.0.0.0/8, ::1, localhost)");
  d.allowed = d.refusals.empty();
  return d;
}

}  // namespace peak::evidence
