#include "actors/batch_pool.hpp"

#include <concurrentqueue/concurrentqueue.h>

#include "actors/batch.hpp"

namespace peak::actors {

struct batch_pool::impl {
  explicit impl(std::size_t capacity) : queue(capacity) {}
  moodycamel::ConcurrentQueue<pipeline_batch> queue;
};

batch_pool::batch_pool(std::size_t capacity) : impl_(std::make_unique<impl>(capacity)) {}
batch_pool::~batch_pool() = default;

void batch_pool::put(pipeline_batch&& b) {
  if (b.items.capacity() == 0)
    return;  // moved-from or never used: nothing worth keeping
  clear(b);
  // try_enqueue never allocates an element block: when the blocks reserved up front are
  // full the batch is not kept (and is freed by its owner).
  impl_->queue.try_enqueue(std::move(b));
}

bool batch_pool::take(pipeline_batch& out) {
  return impl_->queue.try_dequeue(out);
}

std::size_t batch_pool::size_approx() const {
  return impl_->queue.size_approx();
}

}  // namespace peak::actors
