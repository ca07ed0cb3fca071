// RunTransaction: runs `body(SqlConnection&)` in one transaction on a pooled connection, commits
// when it returns a value and rolls back when it returns an error. A transaction that lost a race
// the database could not order (PostgreSQL serialization failure or deadlock, SQLite busy) is run
// again from the start, a few times with a short random back-off, so `body` must do nothing but
// SQL on its connection.
#pragma once

#include <chrono>
#include <random>
#include <thread>
#include <type_traits>
#include <utility>

#include "adapters/storage_sql/connection_pool.hpp"
#include "adapters/storage_sql/sql_connection.hpp"

namespace flow::adapters::storage {

inline constexpr int kTransactionAttempts = 12;

inline void BackOff(int attempt) {
  thread_local std::minstd_rand random(std::random_device{}());
  const int cap = 1 << (attempt < 7 ? attempt : 7);  // up to 128 ms
  std::this_thread::sleep_for(std::chrono::milliseconds(1 + random() % cap));
}

template <typename Body>
auto RunTransaction(ConnectionPool& pool, TxMode mode, Body&& body)
    -> std::invoke_result_t<Body&, SqlConnection&> {
  for (int attempt = 1;; ++attempt) {
    core::Result<ConnectionPool::Lease> lease = pool.Acquire();
    if (!lease) return std::move(lease).error();
    SqlConnection& connection = **lease;
    core::Error failure;
    if (core::Result<void> begun = connection.Begin(mode); !begun) {
      failure = std::move(begun).error();
    } else {
      auto result = body(connection);
      if (!result) {
        failure = std::move(result).error();
      } else if (core::Result<void> committed = connection.Commit(); !committed) {
        failure = std::move(committed).error();
      } else {
        return result;
      }
      (void)connection.Rollback();
    }
    if (!IsRetryable(failure) || attempt == kTransactionAttempts) return failure;
    BackOff(attempt);
  }
}

}  // namespace flow::adapters::storage
