#pragma once
/// Building and walking pipeline batches (actors/ only; the batch itself is a plain message).

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "engine/batch.hpp"
#include "messages/pipeline_batch.hpp"

namespace peak::actors {

using engine::append;
using engine::clear;
using engine::for_each_item;

/// Appends `sample` to `samples` if it fits in the reserved capacity (no allocation);
/// otherwise counts it as dropped.
inline void record_sample(std::vector<std::int64_t>& samples, std::atomic<std::uint64_t>& dropped,
                          std::int64_t sample) noexcept {
  if (samples.size() < samples.capacity())
    samples.push_back(sample);
  else
    dropped.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace peak::actors
