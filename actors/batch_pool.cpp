#include "actors/batch_pool.hpp"

#include "actors/batch.hpp"

#if defined(__SANITIZE_THREAD__)
// ThreadSanitizer does not model the fences moodycamel::ConcurrentQueue relies on (GCC
// refuses to compile them under -fsanitize=thread), so the TSan build keeps the pool behind a
// mutex: what it checks is how the actors hand batches to the pool and take them back.
#include <mutex>
#include <vector>
#else
#include <concurrentqueue/concurrentqueue.h>
#endif

namespace peak::actors {

#if defined(__SANITIZE_THREAD__)
struct batch_pool::impl {
  explicit impl(std::size_t cap) : capacity(cap) { kept.reserve(cap); }
  bool try_enqueue(pipeline_batch&& b) {
    const std::lock_guard<std::mutex> lock(mutex);
    if (kept.size() >= capacity)
      return false;
    kept.push_back(std::move(b));
    return true;
  }
  bool try_dequeue(pipeline_batch& out) {
    const std::lock_guard<std::mutex> lock(mutex);
    if (kept.empty())
      return false;
    out = std::move(kept.back());
    kept.pop_back();
    return true;
  }
  std::size_t size_approx() {
    const std::lock_guard<std::mutex> lock(mutex);
    return kept.size();
  }
  std::size_t capacity;
  std::mutex mutex;
  std::vector<pipeline_batch> kept;
};
#else
struct batch_pool::impl {
  explicit impl(std::size_t capacity) : queue(capacity) {}
  bool try_enqueue(pipeline_batch&& b) { return queue.try_enqueue(std::move(b)); }
  bool try_dequeue(pipeline_batch& out) { return queue.try_dequeue(out); }
  std::size_t size_approx() const { return queue.size_approx(); }
  moodycamel::ConcurrentQueue<pipeline_batch> queue;
};
#endif

batch_pool::batch_pool(std::size_t capacity) : impl_(std::make_unique<impl>(capacity)) {}
batch_pool::~batch_pool() = default;

void batch_pool::put(pipeline_batch&& b) {
  if (b.items.capacity() == 0)
    return;  // moved-from or never used: nothing worth keeping
  clear(b);
  // try_enqueue never allocates an element block: when the blocks reserved up front are
  // full the batch is not kept (and is freed by its owner).
  impl_->try_enqueue(std::move(b));
}

bool batch_pool::take(pipeline_batch& out) {
  return impl_->try_dequeue(out);
}

std::size_t batch_pool::size_approx() const {
  return impl_->size_approx();
}

}  // namespace peak::actors
