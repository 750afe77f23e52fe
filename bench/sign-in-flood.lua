-- wrk: wrong sign-ins under ever new user names (no lock stops them: each is a password
-- check), as an attacker with many addresses would send past any per-address limit.
local counter = 0
request = function()
  counter = counter + 1
  local body = "username=guess" .. math.random(1, 1000000000) .. "x" .. counter .. "&password=wrong+password"
  return wrk.format("POST", "/staff/login", { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end
