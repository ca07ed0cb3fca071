#include <algorithm>

#include "adapters/storage_sql/store_support.hpp"

namespace flow::adapters::storage {
namespace {

using service::ApiTokenRecord;
using service::UserRecord;

constexpr const char* kUserColumns =
    "id, email, name, password_hash, flow_array_json(roles), mfa_secret, disabled, "
    "flow_ms(created_at), flow_ms(last_login_at)";
constexpr const char* kTokenColumns =
    "id, user_id, name, prefix, hash, flow_array_json(scopes), flow_ms(expires_at), "
    "flow_ms(last_used_at), flow_ms(revoked_at), flow_ms(created_at)";

UserRecord ToUser(const SqlRow& row) {
  return UserRecord{.id = row.Text(0),
                    .email = row.Text(1),
                    .name = row.Text(2),
                    .password_hash = row.Text(3),
                    .roles = ArrayCell(row, 4),
                    .mfa_secret = row.Text(5),
                    .disabled = row.Bool(6),
                    .created_at = row.Int(7),
                    .last_login_at = row.OptInt(8)};
}

ApiTokenRecord ToToken(const SqlRow& row) {
  return ApiTokenRecord{.id = row.Text(0),
                        .user_id = row.Text(1),
                        .name = row.Text(2),
                        .prefix = row.Text(3),
                        .hash = row.Text(4),
                        .scopes = ArrayCell(row, 5),
                        .created_at = row.Int(9),
                        .expires_at = row.OptInt(6),
                        .last_used_at = row.OptInt(7),
                        .revoked_at = row.OptInt(8)};
}

std::string NormalEmail(const std::string& email) { return core::ToLower(core::Trim(email)); }


// The MFA secret at rest: sealed with the secret key, never in clear.
core::Result<std::string> SealMfa(const CheckpointCipher& cipher, const std::string& secret) {
  if (secret.empty()) return std::string();
  if (!cipher.has_key()) {
    return core::InvalidArgument(std::string("storing an MFA secret needs ") + kSecretKeyVariable,
                                 "set FLOWTEST_SECRET_KEY (docs/data-model.md#sensitive-values)");
  }
  return cipher.SealText(secret);
}

core::Result<UserRecord> OpenMfa(const CheckpointCipher& cipher, UserRecord user) {
  if (user.mfa_secret.empty()) return user;
  core::Result<std::string> opened =
      cipher.OpenText(user.mfa_secret, "the MFA secret of user '" + user.email + "'");
  if (!opened) return std::move(opened).error();
  user.mfa_secret = std::move(*opened);
  return user;
}

core::Result<std::optional<UserRecord>> OpenMfa(const CheckpointCipher& cipher,
                                                core::Result<std::optional<UserRecord>> found) {
  if (!found || !found->has_value()) return found;
  core::Result<UserRecord> opened = OpenMfa(cipher, std::move(**found));
  if (!opened) return std::move(opened).error();
  return std::optional<UserRecord>(std::move(*opened));
}

core::Error NoToken(const std::string& id) { return core::NotFound("no API token '" + id + "'"); }

}  // namespace

core::Result<UserRecord> SqlUserStore::CreateUser(UserRecord user) {
  user.email = NormalEmail(user.email);
  if (user.email.empty() || user.email.find('@') == std::string::npos) {
    return core::InvalidArgument("'" + user.email + "' is not an email address");
  }
  if (user.password_hash.empty()) return core::InvalidArgument("a user needs a password hash");
  core::Result<std::vector<std::string>> roles = service::NormalizeRoles(user.roles);
  if (!roles) return std::move(roles).error();
  user.roles = std::move(*roles);
  core::Result<std::string> id = IdOrNew(user.id, "user");
  if (!id) return std::move(id).error();
  user.id = *id;
  user.created_at = TimeOrNow(ctx_, user.created_at);
  core::Result<std::string> mfa = SealMfa(ctx_.cipher, user.mfa_secret);
  if (!mfa) return std::move(mfa).error();
  core::Result<void> created = Write(ctx_, [&](SqlConnection& c) {
    return c.Exec(
        "INSERT INTO user_account (id, email, name, password_hash, roles, mfa_secret, disabled, "
        "created_at, last_login_at) VALUES ($1, $2, $3, $4, flow_text_array($5), $6, $7, "
        "flow_ts($8), flow_ts($9))",
        {Param(user.id), Param(user.email), Param(user.name), Param(user.password_hash),
         ArrayParam(user.roles), Param(*mfa), Param(user.disabled), Param(user.created_at),
         Param(user.last_login_at)});
  });
  if (!created) {
    core::Error e = std::move(created).error();
    if (e.reason == "unique") return core::Conflict("a user with email '" + user.email + "' exists");
    return e;
  }
  return user;
}

core::Result<std::optional<UserRecord>> SqlUserStore::FindUserByEmail(const std::string& email) {
  return OpenMfa(ctx_.cipher, Read(ctx_, [&](SqlConnection& c) {
                   return QueryOne<UserRecord>(
                       c, std::string("SELECT ") + kUserColumns + " FROM user_account WHERE email = $1",
                       {Param(NormalEmail(email))}, ToUser);
                 }));
}

core::Result<std::optional<UserRecord>> SqlUserStore::FindUser(const std::string& id) {
  if (!CanBeId(id)) return std::optional<UserRecord>();
  return OpenMfa(ctx_.cipher, Read(ctx_, [&](SqlConnection& c) {
                   return QueryOne<UserRecord>(
                       c, std::string("SELECT ") + kUserColumns + " FROM user_account WHERE id = $1",
                       {Param(IdKey(id))}, ToUser);
                 }));
}

core::Result<std::vector<UserRecord>> SqlUserStore::ListUsers() {
  core::Result<std::vector<UserRecord>> users = Read(ctx_, [&](SqlConnection& c) {
    return QueryAll<UserRecord>(
        c, std::string("SELECT ") + kUserColumns + " FROM user_account ORDER BY email", {}, ToUser);
  });
  if (!users) return users;
  for (UserRecord& user : *users) {
    core::Result<UserRecord> opened = OpenMfa(ctx_.cipher, std::move(user));
    if (!opened) return std::move(opened).error();
    user = std::move(*opened);
  }
  return users;
}

core::Result<std::vector<service::RoleRecord>> SqlUserStore::ListRoles() {
  return Read(ctx_, [&](SqlConnection& c) {
    return QueryAll<service::RoleRecord>(
        c, "SELECT name, description FROM role ORDER BY rank", {}, [](const SqlRow& row) {
          return service::RoleRecord{.name = row.Text(0), .description = row.Text(1)};
        });
  });
}

core::Result<UserRecord> SqlUserStore::UpdateUser(const UserRecord& user) {
  if (!CanBeId(user.id)) return core::NotFound("no user '" + user.id + "'");
  if (user.password_hash.empty()) return core::InvalidArgument("a user needs a password hash");
  core::Result<std::vector<std::string>> roles = service::NormalizeRoles(user.roles);
  if (!roles) return std::move(roles).error();
  core::Result<std::string> mfa = SealMfa(ctx_.cipher, user.mfa_secret);
  if (!mfa) return std::move(mfa).error();
  core::Result<std::optional<UserRecord>> updated = Write(ctx_, [&](SqlConnection& c) {
    return QueryOne<UserRecord>(
        c,
        std::string("UPDATE user_account SET name = $2, password_hash = $3, roles = "
                    "flow_text_array($4), mfa_secret = $5, disabled = $6, last_login_at = "
                    "flow_ts($7) WHERE id = $1 RETURNING ") +
            kUserColumns,
        {Param(IdKey(user.id)), Param(user.name), Param(user.password_hash), ArrayParam(*roles),
         Param(*mfa), Param(user.disabled), Param(user.last_login_at)},
        ToUser);
  });
  if (!updated) return std::move(updated).error();
  if (!updated->has_value()) return core::NotFound("no user '" + user.id + "'");
  UserRecord out = std::move(**updated);
  out.mfa_secret = user.mfa_secret;
  return out;
}

core::Result<ApiTokenRecord> SqlUserStore::CreateToken(ApiTokenRecord token) {
  if (!CanBeId(token.user_id)) return core::NotFound("no user '" + token.user_id + "'");
  if (token.hash.empty()) return core::InvalidArgument("an API token needs a hash");
  core::Result<std::string> id = IdOrNew(token.id, "API token");
  if (!id) return std::move(id).error();
  token.id = *id;
  token.user_id = IdKey(token.user_id);
  token.created_at = TimeOrNow(ctx_, token.created_at);
  core::Result<void> created = Write(ctx_, [&](SqlConnection& c) {
    return c.Exec(
        "INSERT INTO api_token (id, user_id, name, prefix, hash, scopes, created_at, expires_at, "
        "last_used_at, revoked_at) VALUES ($1, $2, $3, $4, $5, flow_text_array($6), flow_ts($7), "
        "flow_ts($8), flow_ts($9), flow_ts($10))",
        {Param(token.id), Param(token.user_id), Param(token.name), Param(token.prefix),
         Param(token.hash), ArrayParam(token.scopes), Param(token.created_at),
         Param(token.expires_at), Param(token.last_used_at), Param(token.revoked_at)});
  });
  if (!created) {
    core::Error e = std::move(created).error();
    if (e.reason == "unique") return core::Conflict("an API token with this hash or id exists");
    return MissingReference(std::move(e), "no user '" + token.user_id + "'");
  }
  return token;
}

core::Result<std::optional<ApiTokenRecord>> SqlUserStore::FindTokenByHash(const std::string& hash) {
  return Read(ctx_, [&](SqlConnection& c) {
    return QueryOne<ApiTokenRecord>(
        c, std::string("SELECT ") + kTokenColumns + " FROM api_token WHERE hash = $1",
        {Param(hash)}, ToToken);
  });
}

core::Result<std::vector<ApiTokenRecord>> SqlUserStore::ListTokens(const std::string& user_id) {
  if (!CanBeId(user_id)) return std::vector<ApiTokenRecord>();
  return Read(ctx_, [&](SqlConnection& c) {
    return QueryAll<ApiTokenRecord>(
        c,
        std::string("SELECT ") + kTokenColumns +
            " FROM api_token WHERE user_id = $1 ORDER BY created_at, id",
        {Param(IdKey(user_id))}, ToToken);
  });
}

core::Result<void> SqlUserStore::RevokeToken(const std::string& id, std::int64_t at) {
  if (!CanBeId(id)) return NoToken(id);
  return Write(ctx_, [&](SqlConnection& c) -> core::Result<void> {
    // A token revoked twice keeps the first time.
    core::Result<SqlResult> r = c.Query(
        "UPDATE api_token SET revoked_at = COALESCE(revoked_at, flow_ts($2)) WHERE id = $1",
        {Param(IdKey(id)), Param(TimeOrNow(ctx_, at))});
    if (!r) return std::move(r).error();
    if (r->affected == 0) return NoToken(id);
    return core::Ok();
  });
}

core::Result<void> SqlUserStore::TouchToken(const std::string& id, std::int64_t at) {
  if (!CanBeId(id)) return NoToken(id);
  return Write(ctx_, [&](SqlConnection& c) -> core::Result<void> {
    core::Result<SqlResult> r = c.Query("UPDATE api_token SET last_used_at = flow_ts($2) WHERE id = $1",
                                        {Param(IdKey(id)), Param(TimeOrNow(ctx_, at))});
    if (!r) return std::move(r).error();
    if (r->affected == 0) return NoToken(id);
    return core::Ok();
  });
}

}  // namespace flow::adapters::storage
