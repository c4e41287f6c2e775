#pragma once
/// Spent pipeline batches, kept with their vectors' capacity and handed to the stages that
/// start new batches (market-data, execution's feedback to the risk gate), so a steady flow
/// builds its batches without allocating: the last stage that consumed a batch, and did not
/// reuse it for its own output, puts it back. Lock-free (moodycamel::ConcurrentQueue, its
/// blocks allocated up front) and bounded: a batch that does not fit is simply freed.

#include <cstddef>
#include <memory>

#include "messages/pipeline_batch.hpp"

namespace peak::actors {

class batch_pool {
public:
  explicit batch_pool(std::size_t capacity);
  ~batch_pool();
  batch_pool(const batch_pool&) = delete;
  batch_pool& operator=(const batch_pool&) = delete;

  /// Keeps `b` (emptied) for reuse; a batch without storage, or one that does not fit, is
  /// dropped.
  void put(pipeline_batch&& b);
  /// Moves a kept batch (empty, with capacity) into `out`; false when none is kept.
  bool take(pipeline_batch& out);
  /// Batches kept now (approximate while other threads use the pool).
  [[nodiscard]] std::size_t size_approx() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace peak::actors
