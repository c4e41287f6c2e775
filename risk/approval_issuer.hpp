#pragma once
/// The only maker of a valid risk_approval. The seal is a keyed 64-bit digest of every field
/// of the approved submit_order, so execution can check that an approval belongs to exactly
/// the order it travels with (a copied or hand-made approval on another order fails).

#include <cstdint>

#include "messages/orders.hpp"
#include "messages/risk_decisions.hpp"

namespace peak::risk {

class risk_gate;

/// Issues (risk_gate only) and verifies (anyone) risk approvals.
class approval_issuer {
public:
  /// True if `order.approval` is valid and was issued for exactly `order.order`.
  [[nodiscard]] static bool verify(const approved_order& order) noexcept {
    return order.approval.valid() && order.approval.decision_id() == seal_of(order.order);
  }

  /// The seal an order would carry (never 0). Public so audits can recompute it.
  [[nodiscard]] static std::uint64_t seal_of(const submit_order& o) noexcept {
    std::uint64_t h = 0x5045414b'52495348ull;  // key: "PEAKRISH"
    h = mix(h ^ o.client_order_id);
    h = mix(h ^ o.intent_id);
    h = mix(h ^ (static_cast<std::uint64_t>(o.instrument) << 16 |
                 static_cast<std::uint64_t>(o.direction) << 8 |
                 static_cast<std::uint64_t>(o.type) << 1 | (o.reduce_only ? 1u : 0u)));
    h = mix(h ^ static_cast<std::uint64_t>(o.qty.raw));
    h = mix(h ^ static_cast<std::uint64_t>(o.limit.raw));
    h = mix(h ^ static_cast<std::uint64_t>(o.ts_event));
    if (o.flatten_halt_id != 0)  // only flatten orders carry it (other seals are unchanged)
      h = mix(h ^ o.flatten_halt_id ^ 0x464c4154'54454e21ull);
    return h == 0 ? 1 : h;
  }

private:
  friend class risk_gate;

  /// Seals an order. Only risk_gate::check calls this, after every check passed.
  [[nodiscard]] static risk_approval issue(const submit_order& o) noexcept {
    return risk_approval{seal_of(o)};
  }

  static constexpr std::uint64_t mix(std::uint64_t z) noexcept {  // splitmix64 finaliser
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
};

/// Client order id from (session tag, sequence): the low 40 bits carry the sequence, the
/// next 23 the session tag, the top bit is set so an id is never 0. Same inputs, same id,
/// so a retried submit is recognised as the same order.
[[nodiscard]] constexpr std::uint64_t make_client_order_id(std::uint64_t session_tag,
                                                           std::uint64_t sequence) noexcept {
  return (1ull << 63) | ((session_tag & 0x7F'FFFFull) << 40) | (sequence & 0xFF'FFFF'FFFFull);
}

}  // namespace peak::risk
