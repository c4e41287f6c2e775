#pragma once
/// Open-addressing map from a non-zero 64-bit id to a 32-bit index. Capacity is reserved up
/// front so inserts on the hot path do not allocate (it doubles only when half full). The
/// table comes from the process's page_reserve when it has memory ready, so the doubling
/// costs a copy but no page faults (on our VMs ~11 µs per fresh 4 KiB page: a 512 k-slot
/// table would otherwise take ~1,500 of them inside one event).

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <new>
#include <utility>

#include "infra/page_reserve.hpp"

namespace peak::infra {

/// id -> index; ids must be non-zero (0 marks an empty slot). No erase (records are kept).
class id_index {
public:
  explicit id_index(std::size_t expected = 1024) { rehash(capacity_for(expected)); }
  ~id_index() { free_table(keys_, capacity()); }
  id_index(const id_index& other) : mask_(other.mask_), size_(other.size_) {
    const std::size_t n = other.capacity();
    if (n == 0)
      return;
    keys_ = allocate_table(n);
    std::memcpy(keys_, other.keys_, table_bytes(n));
    values_ = values_of(keys_, n);
  }
  id_index& operator=(const id_index& other) {
    if (this != &other) {
      id_index copy(other);
      swap(copy);
    }
    return *this;
  }
  id_index(id_index&& other) noexcept { swap(other); }
  id_index& operator=(id_index&& other) noexcept {
    swap(other);
    return *this;
  }

  /// Index of `id`, or -1 if absent.
  [[nodiscard]] std::int64_t find(std::uint64_t id) const noexcept {
    if (id == 0 || keys_ == nullptr)
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
    if ((size_ + 1) * 2 > capacity())
      rehash(std::max<std::size_t>(16, capacity() * 2));
    place(id, value);
  }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }

  void clear() noexcept {
    std::fill(keys_, keys_ + capacity(), std::uint64_t{0});
    size_ = 0;
  }

private:
  [[nodiscard]] std::size_t capacity() const noexcept { return keys_ == nullptr ? 0 : mask_ + 1; }
  static std::size_t capacity_for(std::size_t n) {
    std::size_t c = 16;
    while (c < n * 2)
      c *= 2;
    return c;
  }
  static std::size_t table_bytes(std::size_t capacity) noexcept {
    return capacity * (sizeof(std::uint64_t) + sizeof(std::uint32_t));
  }
  static std::uint32_t* values_of(std::uint64_t* keys, std::size_t capacity) noexcept {
    return reinterpret_cast<std::uint32_t*>(keys + capacity);
  }
  /// Keys then values in one block, keys zeroed (reserve memory may hold an earlier
  /// session's data). Values need no initialisation: a slot's value is read only when its
  /// key is set.
  static std::uint64_t* allocate_table(std::size_t capacity) {
    const std::size_t bytes = table_bytes(capacity);
    void* p = page_reserve::instance().try_allocate(bytes);
    if (p == nullptr)
      p = ::operator new(bytes);
    auto* keys = static_cast<std::uint64_t*>(p);
    std::fill(keys, keys + capacity, std::uint64_t{0});
    return keys;
  }
  static void free_table(std::uint64_t* keys, std::size_t capacity) noexcept {
    if (keys == nullptr)
      return;
    page_reserve& reserve = page_reserve::instance();
    if (reserve.owns(keys))
      reserve.release(keys, table_bytes(capacity));
    else
      ::operator delete(keys);
  }
  void swap(id_index& other) noexcept {
    std::swap(keys_, other.keys_);
    std::swap(values_, other.values_);
    std::swap(mask_, other.mask_);
    std::swap(size_, other.size_);
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
    std::uint64_t* const old_keys = keys_;
    const std::uint32_t* const old_values = values_;
    const std::size_t old_capacity = this->capacity();
    keys_ = allocate_table(capacity);
    values_ = values_of(keys_, capacity);
    mask_ = capacity - 1;
    size_ = 0;
    for (std::size_t i = 0; i < old_capacity; ++i)
      if (old_keys[i] != 0)
        place(old_keys[i], old_values[i]);
    free_table(old_keys, old_capacity);
  }

  std::uint64_t* keys_ = nullptr;
  std::uint32_t* values_ = nullptr;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace peak::infra

namespace peak::broker {
/// Former home, kept until engine/, actors/ and bench/ spell it infra::id_index.
using infra::id_index;
}  // namespace peak::broker
