// ConnectionPool: hands out the connections of one database, one thread at a time each, opening
// up to `max` of them and reusing the idle ones; a caller waits while all are in use. A
// connection that went bad is dropped when returned. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "adapters/storage_sql/sql_connection.hpp"
#include "core/result.hpp"

namespace flow::adapters::storage {

class ConnectionPool {
 public:
  using Connector = std::function<core::Result<std::unique_ptr<SqlConnection>>()>;
  ConnectionPool(Connector connect, std::size_t max);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // A borrowed connection, given back when destroyed.
  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<SqlConnection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    SqlConnection& operator*() const { return *connection_; }
    SqlConnection* operator->() const { return connection_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<SqlConnection> connection_;
  };

  core::Result<Lease> Acquire();

 private:
  void Release(std::unique_ptr<SqlConnection> connection);

  Connector connect_;
  std::size_t max_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<SqlConnection>> idle_;
  std::size_t open_ = 0;
};

}  // namespace flow::adapters::storage
