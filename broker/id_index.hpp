#pragma once
/// Open-addressing map from a non-zero 64-bit id to a 32-bit index. Capacity is reserved up
/// front so inserts on the hot path do not allocate (it doubles only when half full).

#include <cstdint>
#include <vector>

namespace peak::broker {

/// id -> index; ids must be non-zero (0 marks an empty slot). No erase (records are kept).
class id_index {
public:
  explicit id_index(std::size_t expected = 1024) { rehash(capacity_for(expected)); }

  /// Index of `id`, or -1 if absent.
  [[nodiscard]] std::int64_t find(std::uint64_t id) const noexcept {
    if (id == 0)
      return -1;
    for (std::size_t i = slot(id);; i = (i + 1) & mask_) {
      if (keys_[i] == id)
        return values_[i];
      if (keys_[i] == 0)
        return -1;
    }
  }

  /// Inserts or overwrites.
  void insert(std::uint64_t id, std::uint32_t value) {
    if (id == 0)
      return;
    if ((size_ + 1) * 2 > keys_.size())
      rehash(keys_.size() * 2);
    place(id, value);
  }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }

  void clear() noexcept {
    for (auto& k : keys_)
      k = 0;
    size_ = 0;
  }

private:
  static std::size_t capacity_for(std::size_t n) {
    std::size_t c = 16;
    while (c < n * 2)
      c *= 2;
    return c;
  }
  [[nodiscard]] std::size_t slot(std::uint64_t id) const noexcept {
    std::uint64_t z = id * 0x9E3779B97F4A7C15ull;
    return static_cast<std::size_t>(z ^ (z >> 29)) & mask_;
  }
  void place(std::uint64_t id, std::uint32_t value) noexcept {
    std::size_t i = slot(id);
    while (keys_[i] != 0 && keys_[i] != id)
      i = (i + 1) & mask_;
    if (keys_[i] == 0)
      ++size_;
    keys_[i] = id;
    values_[i] = value;
  }
  void rehash(std::size_t capacity) {
    std::vector<std::uint64_t> old_keys(capacity, 0);
    std::vector<std::uint32_t> old_values(capacity, 0);
    old_keys.swap(keys_);
    old_values.swap(values_);
    mask_ = capacity - 1;
    size_ = 0;
    for (std::size_t i = 0; i < old_keys.size(); ++i)
      if (old_keys[i] != 0)
        place(old_keys[i], old_values[i]);
  }

  std::vector<std::uint64_t> keys_;
  std::vector<std::uint32_t> values_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace peak::broker
