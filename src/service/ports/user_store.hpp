// UserStore: accounts (user_account) and API tokens (api_token). Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "service/ports/records.hpp"

namespace flow::service {

class UserStore {
 public:
  virtual ~UserStore() = default;
  // id and created_at made by the store when empty/0; the email is stored lower-cased and must
  // be new (kConflict otherwise).
  virtual core::Result<UserRecord> CreateUser(UserRecord user) = 0;
  virtual core::Result<std::optional<UserRecord>> FindUserByEmail(const std::string& email) = 0;
  virtual core::Result<std::optional<UserRecord>> FindUser(const std::string& id) = 0;
  virtual core::Result<std::vector<UserRecord>> ListUsers() = 0;
  // The roles users may have (the seeded `role` table), most rights first. CreateUser and
  // UpdateUser refuse any other (kInvalidArgument) and store each role once, in this order.
  virtual core::Result<std::vector<RoleRecord>> ListRoles() = 0;
  // Replaces name, password_hash, roles, mfa_secret, disabled, last_login_at of the user `id`.
  virtual core::Result<UserRecord> UpdateUser(const UserRecord& user) = 0;

  virtual core::Result<ApiTokenRecord> CreateToken(ApiTokenRecord token) = 0;
  virtual core::Result<std::optional<ApiTokenRecord>> FindTokenByHash(const std::string& hash) = 0;
  virtual core::Result<std::vector<ApiTokenRecord>> ListTokens(const std::string& user_id) = 0;
  virtual core::Result<void> RevokeToken(const std::string& id, std::int64_t at) = 0;
  virtual core::Result<void> TouchToken(const std::string& id, std::int64_t at) = 0;
};

}  // namespace flow::service
