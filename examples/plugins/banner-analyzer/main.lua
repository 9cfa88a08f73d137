-- banner-analyzer: names the server behind a banner from the banner's own bytes.
--
-- The rule, as for prtip's built-in detection: report only what the bytes prove.
--   * A version is returned only when the banner carries it; it is cut out of the banner
--     itself (string.sub at the positions a pattern found), so it can be nothing else.
--   * A protocol is named from its own grammar: an SMTP greeting is "220 <host> ESMTP ..."
--     or names an SMTP server (Postfix is SMTP, never FTP); an FTP greeting names FTP or an
--     FTP server; an HTTP answer starts with its status line.
--   * Product names are nmap's (and prtip -sV's), so answers merge with the built-in ones.
--
-- Confidence: 0.95 product and version, 0.9 product, 0.85 product proved by the shape of a
-- binary answer, 0.8 protocol only, 0.7 a weak sign.
--
-- Structure (the plugin guide's "Good" example): tables built once when the plugin loads,
-- a quick rejection, then one analyzer per protocol, most frequent first. Every analyzer
-- rejects a foreign banner by its first bytes, so a miss costs a few instructions each.

local CONF_VERSION, CONF_PRODUCT, CONF_SHAPE, CONF_SERVICE, CONF_WEAK = 0.95, 0.9, 0.85, 0.8, 0.7

-- ---------------------------------------------------------------- cached tables

-- words in a banner that name the operating system (lower case, plain find)
local OS_HINTS = {
  { "debian", "Linux" }, { "ubuntu", "Linux" }, { "red hat", "Linux" }, { "centos", "Linux" },
  { "fedora", "Linux" }, { "linux", "Linux" }, { "+deb", "Linux" }, { "win32", "Windows" }, { "win64", "Windows" },
  { "windows", "Windows" }, { "freebsd", "FreeBSD" }, { "openbsd", "OpenBSD" },
}

-- HTTP Server: header tokens (the text before "/" or a space), by frequency
local HTTP_SERVERS = {
  ["apache"] = { product = "Apache httpd" },
  ["nginx"] = { product = "nginx" },
  ["microsoft-iis"] = { product = "Microsoft IIS httpd", os_type = "Windows" },
  ["lighttpd"] = { product = "lighttpd" },
}

-- SMTP servers named in a 220 greeting; `version` finds the version's positions
local SMTP_SERVERS = {
  { word = "postfix", product = "Postfix smtpd" },
  { word = "exim", product = "Exim smtpd", version = "%f[%w]exim ()%d[%w%.]*()" },
  { word = "sendmail", product = "Sendmail", version = "%f[%w]sendmail ()%d[%w%.]*()" },
}

-- FTP servers named in a 220 greeting
local FTP_SERVERS = {
  { word = "vsftpd", product = "vsftpd", version = "%(vsftpd ()%d[%w%.]*()%)" },
  { word = "proftpd", product = "ProFTPD", version = "proftpd ()%d[%w%.]*()" },
}

-- PostgreSQL AuthenticationRequest codes (protocol 3.0)
local PG_AUTH = {
  [0] = "ok", [2] = "KerberosV5", [3] = "cleartext password", [5] = "MD5 password", [7] = "GSSAPI",
  [9] = "SSPI", [10] = "SASL",
}

local MONGO_HTTP = "it looks like you are trying to access mongodb over http"

-- ---------------------------------------------------------------- helpers

local function answer(service, product, version, info, os_type, confidence)
  if not confidence then
    confidence = (product and version and CONF_VERSION) or (product and CONF_PRODUCT) or CONF_SERVICE
  end
  return {
    service = service, product = product, version = version, info = info, os_type = os_type,
    confidence = confidence,
  }
end

-- The text between two position captures of `pattern` in `lower`, cut from `original`
-- (so the case is the banner's own); a trailing dot is not part of a version.
local function cut(original, lower, pattern, init)
  local s, e = string.match(lower, pattern, init)
  if not s then return nil end
  local text = string.sub(original, s, e - 1)
  text = string.gsub(text, "%.+$", "")
  if text == "" then return nil end
  return text
end

local function os_of(lower)
  for i = 1, #OS_HINTS do
    if string.find(lower, OS_HINTS[i][1], 1, true) then return OS_HINTS[i][2] end
  end
  return nil
end

local function first_line(text)
  return string.match(text, "^[^\r\n]*")
end

-- ---------------------------------------------------------------- HTTP

local function analyze_http(banner, lower)
  if string.sub(lower, 1, 5) ~= "http/" or not string.find(lower, "^http/%d[%.%d]* %d%d%d") then
    return nil
  end
  local head_end = string.find(lower, "\r\n\r\n", 1, true) or #lower
  -- MongoDB answers HTTP on its driver port with a fixed text
  if string.find(lower, MONGO_HTTP, 1, true) then
    return answer("mongodb", "MongoDB", nil, nil, nil, CONF_PRODUCT)
  end
  local at = string.find(lower, "\nserver:", 1, true)
  if not at or at > head_end then
    return answer("http")
  end
  local value = string.match(banner, "^[ \t]*([^\r\n]*)", at + 8)
  local lvalue = string.lower(value)
  local token = string.match(lvalue, "^[^/%s]+")
  local known = token and HTTP_SERVERS[token]
  if not known then
    return answer("http")
  end
  local version = cut(value, lvalue, "^[^/%s]+/()%d[%w%.]*()")
  local comment = string.match(value, "^[^/%s]+/?[^%s]*%s+(%b())")
  return answer("http", known.product, version, comment, known.os_type or os_of(lvalue))
end

-- ---------------------------------------------------------------- SSH

local function analyze_ssh(banner, lower)
  if string.sub(banner, 1, 4) ~= "SSH-" then return nil end
  local proto, software = string.match(banner, "^SSH%-(%d[%d%.]*)%-([^\r\n]*)")
  if not proto then return nil end
  local soft, comment = string.match(software, "^(%S*)%s*(.-)%s*$")
  local lsoft, lcomment = string.lower(soft), string.lower(comment)
  -- nmap's form of the comment: "Debian-2+deb12u10" -> "Debian 2+deb12u10"
  local info = comment ~= "" and string.gsub(comment, "%-", " ", 1) or nil
  if string.sub(lsoft, 1, 8) == "openssh_" then
    local version = cut(soft, lsoft, "^openssh_()[%w%.]+()")
    return answer("ssh", "OpenSSH", version, info, os_of(lcomment))
  elseif string.sub(lsoft, 1, 8) == "dropbear" then
    local version = cut(soft, lsoft, "^dropbear_()[%w%.]+()")
    return answer("ssh", "Dropbear sshd", version, info, os_of(lcomment))
  end
  return answer("ssh", nil, nil, "protocol " .. proto)
end

-- ---------------------------------------------------------------- SMTP and FTP greetings

local function analyze_smtp(banner, lower)
  if not string.find(lower, "^220[ %-]") then return nil end
  local line = first_line(lower)
  local smtp_word = string.find(line, "%f[%w]e?smtp%f[^%w]")
  for i = 1, #SMTP_SERVERS do
    local server = SMTP_SERVERS[i]
    if string.find(line, "%f[%w]" .. server.word .. "%f[^%w]") then
      local version = server.version and cut(first_line(banner), line, server.version)
      return answer("smtp", server.product, version, nil, os_of(line))
    end
  end
  if smtp_word and not string.find(line, "%f[%w]ftp", 1) then
    return answer("smtp")
  end
  return nil
end

local function analyze_ftp(banner, lower)
  if not string.find(lower, "^220[ %-]") then return nil end
  local line = first_line(lower)
  for i = 1, #FTP_SERVERS do
    local server = FTP_SERVERS[i]
    if string.find(line, server.word, 1, true) then
      local version = cut(first_line(banner), line, server.version)
      return answer("ftp", server.product, version, nil, os_of(line))
    end
  end
  if string.find(line, "%f[%w]ftp") then
    return answer("ftp")
  end
  return nil
end

-- ---------------------------------------------------------------- databases

-- MySQL/MariaDB: the server speaks first, a packet (3-byte length, sequence 0) holding a
-- protocol-10 handshake with the version string, or an error packet (0xff).
local function analyze_mysql(banner)
  if #banner < 7 or string.byte(banner, 4) ~= 0 then return nil end
  local len = string.unpack("<I3", banner)
  if len < 3 or len > 65535 then return nil end
  local kind = string.byte(banner, 5)
  if kind == 10 then
    local server = string.match(banner, "^(%d+%.%d+%.%d+[%w%.%-+~_]*)%z", 6)
    if not server then return nil end
    local lserver = string.lower(server)
    if string.find(lserver, "mariadb", 1, true) then
      -- "5.5.5-10.11.19-MariaDB-0+deb12u1": 5.5.5- is a compatibility prefix
      local rest = string.gsub(server, "^5%.5%.5%-", "")
      local version = string.match(rest, "^%d+%.%d+%.%d+")
      local suffix = string.match(rest, "%-[Mm]ariaDB%-(.+)$")
      return answer("mysql", "MariaDB", version, suffix, os_of(lserver))
    end
    local version = string.match(server, "^%d+%.%d+%.%d+")
    local suffix = string.match(server, "^%d+%.%d+%.%d+%-(.+)$")
    return answer("mysql", "MySQL", version, suffix, os_of(lserver))
  elseif kind == 255 then
    local message = string.lower(string.sub(banner, 8, 4 + len))
    if string.find(message, "mariadb", 1, true) then return answer("mysql", "MariaDB") end
    if string.find(message, "mysql", 1, true) then return answer("mysql", "MySQL") end
    return nil
  end
  return nil
end

-- PostgreSQL never sends its version before login: an AuthenticationRequest ('R') or an
-- ErrorResponse ('E' with severity and code fields) proves the product, nothing more.
local function analyze_postgresql(banner)
  local kind = string.byte(banner, 1)
  if (kind ~= 82 and kind ~= 69) or #banner < 9 then return nil end
  local len = string.unpack(">i4", banner, 2)
  if len < 8 or len > 8192 then return nil end
  if kind == 82 then
    local code = string.unpack(">i4", banner, 6)
    local method = PG_AUTH[code]
    if not method then return nil end
    if code == 10 then
      local mechanism = string.match(banner, "^([%w%-]+)%z", 10)
      if not mechanism then return nil end
      method = mechanism
    end
    return answer("postgresql", "PostgreSQL DB", nil, "auth " .. method, nil, CONF_SHAPE)
  end
  local severity = string.match(banner, "^S(%u+)%z", 6)
  if severity == "FATAL" or severity == "ERROR" or severity == "PANIC" then
    if string.find(banner, "%zC%w%w%w%w%w%z") then
      return answer("postgresql", "PostgreSQL DB", nil, nil, nil, CONF_SHAPE)
    end
  end
  return nil
end

-- Redis: RESP replies. INFO shows the version and the OS; PING's +PONG only the protocol.
local function analyze_redis(banner, lower)
  local first = string.sub(banner, 1, 1)
  if first ~= "+" and first ~= "-" and first ~= "$" and first ~= "*" then return nil end
  local version = cut(banner, lower, "\nredis_version:()%d[%w%.]*()")
  if version then
    local os_line = string.match(banner, "\nos:([^\r\n]*)")
    local os_type = os_line and string.match(os_line, "^(%a+)")
    local mode = string.match(banner, "\nredis_mode:(%a+)")
    return answer("redis", "Redis key-value store", version, mode and (mode .. " mode"), os_type)
  end
  if string.find(lower, "^%-noauth ") or string.find(lower, "^%-wrongpass ")
      or string.find(lower, "^%-denied redis") then
    return answer("redis", "Redis key-value store")
  end
  if string.sub(banner, 1, 7) == "+PONG\r\n" then
    return answer("redis")
  end
  return nil
end

-- MongoDB: a wire-protocol reply (OP_REPLY 1 or OP_MSG 2013) to a hello/buildInfo command;
-- buildInfo carries the version as a BSON string field.
local function analyze_mongodb(banner, lower)
  if #banner < 16 then return nil end
  local len, _, _, opcode = string.unpack("<i4i4i4i4", banner)
  if (opcode ~= 1 and opcode ~= 2013) or len < 16 or len > 48 * 1024 * 1024 then return nil end
  if not string.find(banner, "maxWireVersion", 17, true) and not string.find(banner, "\2version\0", 17, true) then
    return nil
  end
  local version = string.match(banner, "\2version%z....(%d+%.%d+%.%d+[%w%-]*)%z")
  return answer("mongodb", "MongoDB", version, nil, nil)
end

-- ---------------------------------------------------------------- hooks

function on_load(config)
  prtip.log("debug", "banner-analyzer loaded")
  return true
end

function on_unload()
  prtip.log("debug", "banner-analyzer unloaded")
end

function analyze_banner(banner)
  -- quick rejection: nothing to read
  if type(banner) ~= "string" or #banner < 3 then return nil end
  local lower = string.lower(banner)
  -- ordered by frequency: HTTP, SSH, mail and FTP greetings, then the databases
  return analyze_http(banner, lower)
      or analyze_ssh(banner, lower)
      or analyze_smtp(banner, lower)
      or analyze_ftp(banner, lower)
      or analyze_redis(banner, lower)
      or analyze_mysql(banner)
      or analyze_postgresql(banner)
      or analyze_mongodb(banner, lower)
end
