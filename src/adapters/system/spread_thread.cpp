#include "adapters/system/spread_thread.hpp"

#include <pthread.h>
#include <sched.h>

#include <utility>

namespace flow::adapters {

struct SpreadThread::Started {
  pthread_t thread{};
  std::function<void()> work;
  cpu_set_t allowed{};  // the CPUs the creator may use: the thread's once it has started
  bool restore = false;
};

void* SpreadThread::Run(void* arg) {
  auto* started = static_cast<SpreadThread::Started*>(arg);
  if (started->restore) {
    (void)pthread_setaffinity_np(pthread_self(), sizeof started->allowed, &started->allowed);
  }
  started->work();
  started->work = nullptr;  // what it holds is freed on this thread
  return nullptr;
}

SpreadThread::SpreadThread(std::function<void()> work) {
  auto started = std::make_unique<Started>();
  started->work = std::move(work);
  pthread_attr_t attr;
  const bool attr_made = pthread_attr_init(&attr) == 0;
  // Starts on the creator's other CPUs; the thread then takes back all of them.
  const int here = sched_getcpu();
  if (attr_made && here >= 0 && here < CPU_SETSIZE &&
      sched_getaffinity(0, sizeof started->allowed, &started->allowed) == 0) {
    cpu_set_t others = started->allowed;
    CPU_CLR(here, &others);
    if (CPU_COUNT(&others) > 0 &&
        pthread_attr_setaffinity_np(&attr, sizeof others, &others) == 0) {
      started->restore = true;
    }
  }
  const int made = pthread_create(&started->thread, attr_made ? &attr : nullptr, &Run,
                                  started.get());
  if (attr_made) pthread_attr_destroy(&attr);
  if (made != 0) {
    started->work();  // no thread: the work is done here rather than lost
    return;
  }
  started_ = std::move(started);
}

SpreadThread::SpreadThread() = default;

SpreadThread::~SpreadThread() { join(); }

SpreadThread::SpreadThread(SpreadThread&& other) noexcept : started_(std::move(other.started_)) {}

SpreadThread& SpreadThread::operator=(SpreadThread&& other) noexcept {
  if (this != &other) {
    join();
    started_ = std::move(other.started_);
  }
  return *this;
}

void SpreadThread::join() {
  if (!started_) return;
  (void)pthread_join(started_->thread, nullptr);
  started_.reset();
}

}  // namespace flow::adapters
