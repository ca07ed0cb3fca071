#include "adapters/storage_sql/connection_pool.hpp"

namespace flow::adapters::storage {

ConnectionPool::ConnectionPool(Connector connect, std::size_t max)
    : connect_(std::move(connect)), max_(max == 0 ? 1 : max) {}

ConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr && connection_) pool_->Release(std::move(connection_));
}

core::Result<ConnectionPool::Lease> ConnectionPool::Acquire() {
  std::unique_lock lock(mutex_);
  available_.wait(lock, [&] { return !idle_.empty() || open_ < max_; });
  if (!idle_.empty()) {
    std::unique_ptr<SqlConnection> connection = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(connection));
  }
  ++open_;
  lock.unlock();
  // Connecting takes a few milliseconds: not under the lock.
  core::Result<std::unique_ptr<SqlConnection>> connection = connect_();
  if (!connection) {
    lock.lock();
    --open_;
    available_.notify_one();
    return std::move(connection).error();
  }
  return Lease(this, std::move(*connection));
}

void ConnectionPool::Release(std::unique_ptr<SqlConnection> connection) {
  const bool healthy = connection->Healthy();
  std::unique_ptr<SqlConnection> dropped;
  {
    std::lock_guard lock(mutex_);
    if (healthy) {
      idle_.push_back(std::move(connection));
    } else {
      --open_;
      dropped = std::move(connection);  // closed outside the lock
    }
  }
  available_.notify_one();
}

}  // namespace flow::adapters::storage
