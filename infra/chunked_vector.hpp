#pragma once
/// Append-only sequence stored in fixed-size chunks that never move: growing it allocates one
/// more chunk and copies nothing, so a long session's per-order records never cause the
/// "copy everything so far" stall a doubling std::vector does inside one event. References
/// and indices stay valid for the container's lifetime. Chunks come from the process's
/// page_reserve when it has ready (already written) memory, so a new chunk costs no page
/// faults on the hot path either; otherwise from the ordinary allocator.

#include <cstddef>
#include <iterator>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#include "infra/page_reserve.hpp"

namespace peak::infra {

template <class T, std::size_t ChunkSize = 1024>
class chunked_vector {
  static_assert(ChunkSize > 0 && (ChunkSize & (ChunkSize - 1)) == 0,
                "ChunkSize must be a power of two");

public:
  chunked_vector() = default;
  ~chunked_vector() { destroy(); }
  chunked_vector(const chunked_vector&) = delete;
  chunked_vector& operator=(const chunked_vector&) = delete;
  chunked_vector(chunked_vector&& other) noexcept
      : chunks_(std::move(other.chunks_)), size_(std::exchange(other.size_, 0)) {}
  chunked_vector& operator=(chunked_vector&& other) noexcept {
    if (this != &other) {
      destroy();
      chunks_ = std::move(other.chunks_);
      size_ = std::exchange(other.size_, 0);
    }
    return *this;
  }

  /// Allocates the chunks for `n` elements up front (constructs nothing).
  void reserve(std::size_t n) {
    const std::size_t want = (n + ChunkSize - 1) / ChunkSize;
    chunks_.reserve(want);
    while (chunks_.size() < want)
      chunks_.push_back(allocate_chunk());
  }

  template <class... Args>
  T& emplace_back(Args&&... args) {
    const std::size_t chunk = size_ / ChunkSize;
    if (chunk == chunks_.size())
      chunks_.push_back(allocate_chunk());
    T* slot = chunks_[chunk].get() + (size_ & (ChunkSize - 1));
    ::new (static_cast<void*>(slot)) T(std::forward<Args>(args)...);
    ++size_;
    return *slot;
  }
  void push_back(const T& value) { emplace_back(value); }
  /// Destroys every element; keeps the chunks for reuse.
  void clear() noexcept {
    for (std::size_t i = 0; i < size_; ++i)
      (*this)[i].~T();
    size_ = 0;
  }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  /// Chunks allocated (each holds ChunkSize elements).
  [[nodiscard]] std::size_t chunks() const noexcept { return chunks_.size(); }

  T& operator[](std::size_t i) noexcept {
    return chunks_[i / ChunkSize].get()[i & (ChunkSize - 1)];
  }
  const T& operator[](std::size_t i) const noexcept {
    return chunks_[i / ChunkSize].get()[i & (ChunkSize - 1)];
  }
  T& back() noexcept { return (*this)[size_ - 1]; }
  const T& back() const noexcept { return (*this)[size_ - 1]; }

  template <bool Const>
  class basic_iterator {
  public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using owner = std::conditional_t<Const, const chunked_vector, chunked_vector>;
    using reference = std::conditional_t<Const, const T&, T&>;
    using pointer = std::conditional_t<Const, const T*, T*>;
    basic_iterator(owner* c, std::size_t i) noexcept : c_(c), i_(i) {}
    reference operator*() const noexcept { return (*c_)[i_]; }
    pointer operator->() const noexcept { return &(*c_)[i_]; }
    basic_iterator& operator++() noexcept {
      ++i_;
      return *this;
    }
    basic_iterator operator++(int) noexcept {
      basic_iterator copy = *this;
      ++i_;
      return copy;
    }
    bool operator==(const basic_iterator& o) const noexcept { return i_ == o.i_; }
    bool operator!=(const basic_iterator& o) const noexcept { return i_ != o.i_; }

  private:
    owner* c_;
    std::size_t i_;
  };
  using iterator = basic_iterator<false>;
  using const_iterator = basic_iterator<true>;
  iterator begin() noexcept { return {this, 0}; }
  iterator end() noexcept { return {this, size_}; }
  const_iterator begin() const noexcept { return {this, 0}; }
  const_iterator end() const noexcept { return {this, size_}; }

private:
  struct chunk_deleter {
    void operator()(T* p) const noexcept {
      page_reserve& reserve = page_reserve::instance();
      if (reserve.owns(p))
        reserve.release(p, sizeof(T) * ChunkSize);
      else
        std::allocator<T>{}.deallocate(p, ChunkSize);
    }
  };
  using chunk_ptr = std::unique_ptr<T, chunk_deleter>;

  static chunk_ptr allocate_chunk() {
    static_assert(alignof(T) <= 64, "page_reserve aligns to 64 bytes");
    if (void* ready = page_reserve::instance().try_allocate(sizeof(T) * ChunkSize))
      return chunk_ptr(static_cast<T*>(ready));
    return chunk_ptr(std::allocator<T>{}.allocate(ChunkSize));
  }
  void destroy() noexcept {
    clear();
    chunks_.clear();
  }

  std::vector<chunk_ptr> chunks_;
  std::size_t size_ = 0;
};

}  // namespace peak::infra

namespace peak::broker {
/// Former home, kept until engine/, actors/ and bench/ spell it infra::chunked_vector.
using infra::chunked_vector;
}  // namespace peak::broker
