#include "marketdata/symbol_map.hpp"

#include <atomic>
#include <cstring>
#include <utility>

namespace peak::marketdata {
namespace {

std::uint64_t hash_key(const char* key, std::size_t length) noexcept {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (std::size_t i = 0; i < length; ++i) {
    h ^= static_cast<unsigned char>(key[i]);
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

std::uint64_t symbol_map::next_revision() noexcept {
  static std::atomic<std::uint64_t> counter{0};
  return counter.fetch_add(1, std::memory_order_relaxed) + 1;
}

symbol_map::symbol_map(symbol_map&& other) noexcept
    : slots_(std::move(other.slots_)),
      count_(other.count_),
      id_limit_(other.id_limit_),
      revision_(other.revision_) {
  other.slots_.clear();
  other.count_ = 0;
  other.id_limit_ = 0;
  other.revision_ = next_revision();
}

symbol_map& symbol_map::operator=(symbol_map&& other) noexcept {
  if (this != &other) {
    slots_ = std::move(other.slots_);
    count_ = other.count_;
    id_limit_ = other.id_limit_;
    revision_ = other.revision_;
    other.slots_.clear();
    other.count_ = 0;
    other.id_limit_ = 0;
    other.revision_ = next_revision();
  }
  return *this;
}

symbol_map::symbol_map(const std::vector<instrument_spec>& instruments) {
  for (std::size_t i = 0; i < instruments.size(); ++i)
    add(instruments[i].symbol, static_cast<instrument_id>(i));
}

std::size_t symbol_map::normalise(std::string_view symbol, char* out) noexcept {
  std::size_t n = 0;
  for (char c : symbol) {
    if (c >= 'a' && c <= 'z')
      c = static_cast<char>(c - 'a' + 'A');
    else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
      continue;
    if (n == max_key)
      return 0;
    out[n++] = c;
  }
  return n;
}

void symbol_map::grow() {
  std::vector<slot> old;
  old.swap(slots_);
  slots_.resize(old.empty() ? 16 : old.size() * 2);
  const std::size_t mask = slots_.size() - 1;
  for (const slot& s : old) {
    if (s.length == 0)
      continue;
    std::size_t i = static_cast<std::size_t>(hash_key(s.key, s.length)) & mask;
    while (slots_[i].length != 0)
      i = (i + 1) & mask;
    slots_[i] = s;
  }
}

bool symbol_map::add(std::string_view symbol, instrument_id id) {
  char key[max_key + 1] = {};
  const std::size_t length = normalise(symbol, key);
  if (length == 0 || lookup(key, length) != no_instrument)
    return false;
  if ((count_ + 1) * 2 > slots_.size())
    grow();
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = static_cast<std::size_t>(hash_key(key, length)) & mask;
  while (slots_[i].length != 0)
    i = (i + 1) & mask;
  std::memcpy(slots_[i].key, key, length);
  slots_[i].length = static_cast<std::uint8_t>(length);
  slots_[i].id = id;
  ++count_;
  revision_ = next_revision();
  if (id != no_instrument && id + 1 > id_limit_)
    id_limit_ = id + 1;
  return true;
}

instrument_id symbol_map::lookup(const char* key, std::size_t length) const noexcept {
  if (slots_.empty())
    return no_instrument;
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = static_cast<std::size_t>(hash_key(key, length)) & mask;
  while (slots_[i].length != 0) {
    if (slots_[i].length == length && std::memcmp(slots_[i].key, key, length) == 0)
      return slots_[i].id;
    i = (i + 1) & mask;
  }
  return no_instrument;
}

instrument_id symbol_map::only() const noexcept {
  if (count_ != 1)
    return no_instrument;
  for (const slot& s : slots_)
    if (s.length != 0)
      return s.id;
  return no_instrument;
}

instrument_id symbol_map::find(std::string_view symbol) const noexcept {
  char key[max_key + 1];
  const std::size_t length = normalise(symbol, key);
  if (length == 0)
    return no_instrument;
  instrument_id id = lookup(key, length);
  if (id != no_instrument)
    return id;
  // Kraken spells bitcoin XBT: try BTC in its place (and the reverse).
  bool changed = false;
  for (std::size_t i = 0; i + 3 <= length; ++i) {
    if (std::memcmp(key + i, "XBT", 3) == 0) {
      std::memcpy(key + i, "BTC", 3);
      changed = true;
    } else if (std::memcmp(key + i, "BTC", 3) == 0) {
      std::memcpy(key + i, "XBT", 3);
      changed = true;
    }
  }
  return changed ? lookup(key, length) : no_instrument;
}

}  // namespace peak::marketdata
