-- ssl-checker: finds TLS services and asks them which TLS version and cipher they choose.
--
-- analyze_banner(banner), passive, in order of strength:
--   1. the banner is a TLS record (content type 20-24, version 3.x): TLS for certain, and a
--      ServerHello in it is parsed for the version and the cipher;
--   2. the banner's text says TLS or SSL as a word ("SSL-enabled server port"), the plugin
--      guide's signature, with word boundaries so "OpenSSL/3.0", "mod_ssl" or "STARTTLS" in
--      a plain-text banner do not count;
--   3. the port is one where TLS is the rule (443, 465, 636, 853, 990, 993, 995, 5061, 8443...).
-- probe_service(target), active (network capability): sends a TLS ClientHello built here
-- with string.pack (TLS 1.3 and 1.2 cipher suites, an x25519 key share), reads the answer
-- and parses the ServerHello: record header, handshake type 2, legacy_version, cipher suite
-- and the supported_versions extension that carries TLS 1.3. The handshake stops there:
-- nothing is encrypted or verified, the answer only says what the server chose.
--
-- "ssl" is a tunnel, not the service inside it: every answer here is less confident (0.6 to
-- 0.8) than a product or protocol the built-in detection reads inside TLS, so merging keeps
-- "Apache httpd" and adds the TLS details as plugin data (prtip.add_result).

-- ---------------------------------------------------------------- tables (built once)

local TLS_PORTS = {
  [261] = "nsiiops", [443] = "https", [465] = "smtps", [563] = "nntps", [585] = "imap4-ssl",
  [636] = "ldapssl", [853] = "domain-s", [989] = "ftps-data", [990] = "ftps", [992] = "telnets",
  [993] = "imaps", [994] = "ircs", [995] = "pop3s", [3269] = "globalcatLDAPssl",
  [5061] = "sip-tls", [5986] = "wsmans", [6697] = "ircs-u", [8443] = "https-alt",
  [8883] = "secure-mqtt",
}

local VERSIONS = {
  [0x0300] = "SSLv3", [0x0301] = "TLSv1.0", [0x0302] = "TLSv1.1", [0x0303] = "TLSv1.2",
  [0x0304] = "TLSv1.3",
}

-- IANA names of the cipher suites a server is likely to pick (the ones we offer and more)
local CIPHERS = {
  [0x1301] = "TLS_AES_128_GCM_SHA256",
  [0x1302] = "TLS_AES_256_GCM_SHA384",
  [0x1303] = "TLS_CHACHA20_POLY1305_SHA256",
  [0xc02b] = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
  [0xc02c] = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
  [0xc02f] = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
  [0xc030] = "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
  [0xcca8] = "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
  [0xcca9] = "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
  [0xc009] = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
  [0xc00a] = "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
  [0xc013] = "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
  [0xc014] = "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
  [0xc023] = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
  [0xc027] = "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
  [0x009e] = "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
  [0x009f] = "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
  [0x009c] = "TLS_RSA_WITH_AES_128_GCM_SHA256",
  [0x009d] = "TLS_RSA_WITH_AES_256_GCM_SHA384",
  [0x003c] = "TLS_RSA_WITH_AES_128_CBC_SHA256",
  [0x002f] = "TLS_RSA_WITH_AES_128_CBC_SHA",
  [0x0035] = "TLS_RSA_WITH_AES_256_CBC_SHA",
  [0x000a] = "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
  [0x0005] = "TLS_RSA_WITH_RC4_128_SHA",
}

-- what the ClientHello offers, strongest first (TLS 1.3 suites, then ECDHE, then plain RSA)
local OFFERED = {
  0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc009, 0xc013,
  0xc00a, 0xc014, 0x009e, 0x009f, 0x009c, 0x009d, 0x002f, 0x0035, 0x000a,
}
local GROUPS = { 0x001d, 0x0017, 0x0018 } -- x25519, secp256r1, secp384r1
local SIGNATURE_ALGORITHMS = { 0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0201 }

local ALERTS = {
  [0] = "close_notify", [10] = "unexpected_message", [20] = "bad_record_mac",
  [40] = "handshake_failure", [42] = "bad_certificate", [47] = "illegal_parameter",
  [50] = "decode_error", [70] = "protocol_version", [71] = "insufficient_security",
  [80] = "internal_error", [86] = "inappropriate_fallback", [90] = "user_canceled",
  [109] = "missing_extension", [110] = "unsupported_extension", [112] = "unrecognized_name",
  [120] = "no_application_protocol",
}

-- SHA-256("HelloRetryRequest"): the random of a ServerHello that is really a retry request
local HRR_RANDOM = "\207\33\173\116\229\154\97\17\190\29\140\2\30\101\184\145"
    .. "\194\162\17\22\122\187\140\94\7\158\9\226\200\168\51\156"

local MAX_HANDSHAKE = 64 * 1024

local settings = { probe_all_ports = false, timeout = 2.0, extra_ports = {} }

-- ---------------------------------------------------------------- the TLS codec

tls = {}

local function u16_list(values)
  local parts = {}
  for i = 1, #values do parts[i] = string.pack(">I2", values[i]) end
  return string.pack(">s2", table.concat(parts))
end

local function extension(kind, data)
  return string.pack(">I2s2", kind, data)
end

local function random_bytes(n)
  local parts = {}
  for i = 1, n do parts[i] = string.char(math.random(0, 255)) end
  return table.concat(parts)
end

function tls.version_name(code)
  return VERSIONS[code] or string.format("0x%04x", code)
end

function tls.cipher_name(code)
  return CIPHERS[code] or string.format("0x%04x", code)
end

-- A complete TLS record holding a ClientHello that offers TLS 1.0 to 1.3.
-- `hostname` (optional) goes into server_name; IP addresses are not sent (RFC 6066).
function tls.client_hello(hostname)
  local extensions = {
    extension(0x000a, u16_list(GROUPS)),                          -- supported_groups
    extension(0x000b, string.pack(">s1", "\0")),                  -- ec_point_formats
    extension(0x000d, u16_list(SIGNATURE_ALGORITHMS)),            -- signature_algorithms
    extension(0x0017, ""),                                        -- extended_master_secret
    extension(0xff01, "\0"),                                      -- renegotiation_info
    extension(0x002b, string.pack(">s1", "\3\4\3\3\3\2\3\1")),    -- supported_versions
    extension(0x002d, string.pack(">s1", "\1")),                  -- psk_key_exchange_modes
    -- key_share: one x25519 public key; any 32 bytes will do, we never finish the handshake
    extension(0x0033, string.pack(">s2", string.pack(">I2s2", 0x001d, random_bytes(32)))),
  }
  if hostname and not string.find(hostname, "^[%d%.]+$") and not string.find(hostname, ":", 1, true) then
    table.insert(extensions, 1, extension(0x0000, string.pack(">s2", string.pack(">Bs2", 0, hostname))))
  end
  local body = string.pack(">I2", 0x0303) .. random_bytes(32)
      .. string.pack(">s1", random_bytes(32))                     -- legacy_session_id
      .. u16_list(OFFERED)
      .. string.pack(">s1", "\0")                                 -- compression: null only
      .. string.pack(">s2", table.concat(extensions))
  local handshake = string.pack(">B", 1) .. string.pack(">I3", #body) .. body
  return string.pack(">BI2s2", 22, 0x0301, handshake)
end

-- The first record of `data` when it looks like TLS: content type, version, length.
function tls.record_header(data)
  if #data < 5 then return nil end
  local ctype, version, length = string.unpack(">BI2I2", data)
  if ctype < 20 or ctype > 24 or (version >> 8) ~= 3 or (version & 0xff) > 4 then return nil end
  if length == 0 or length > 16384 + 2048 then return nil end
  return ctype, version, length
end

local function parse_hello_body(body)
  if #body < 38 then return nil, "short ServerHello" end
  local legacy, random = string.unpack(">I2c32", body)
  local sid_len = string.byte(body, 35)
  local pos = 36 + sid_len
  if #body < pos + 2 then return nil, "short ServerHello" end
  local cipher, compression = string.unpack(">I2B", body, pos)
  pos = pos + 3
  local selected
  if #body >= pos + 1 then
    local ext_len = string.unpack(">I2", body, pos)
    pos = pos + 2
    local stop = math.min(#body, pos + ext_len - 1)
    while pos + 3 <= stop do
      local kind, len = string.unpack(">I2I2", body, pos)
      if kind == 0x002b and len == 2 then
        selected = string.unpack(">I2", body, pos + 4)
      end
      pos = pos + 4 + len
    end
  end
  local version = selected or legacy
  return {
    version = tls.version_name(version), version_code = version, legacy_version = legacy,
    cipher = tls.cipher_name(cipher), cipher_code = cipher, compression = compression,
    retry_request = random == HRR_RANDOM,
  }
end

-- Parse what a server sent after our ClientHello.
-- Returns a table {version, cipher, ...} for a ServerHello, {alert = name} for an alert,
-- nil + "incomplete" when more bytes are needed, or nil + why when this is not TLS.
function tls.parse_server_hello(data)
  local handshake, pos = "", 1
  while true do
    if #data < pos + 4 then return nil, "incomplete" end
    local ctype, _, length = tls.record_header(string.sub(data, pos, pos + 4))
    if not ctype then
      return nil, (pos == 1) and "not a TLS record" or "bad TLS record"
    end
    local fragment = string.sub(data, pos + 5, pos + 4 + length)
    if ctype == 21 then
      if #fragment < 2 then return nil, "incomplete" end
      local level, code = string.byte(fragment, 1, 2)
      return { alert = ALERTS[code] or ("alert " .. code), fatal = level == 2 }
    elseif ctype ~= 22 then
      return nil, "unexpected TLS record type " .. ctype
    end
    handshake = handshake .. fragment
    if #handshake >= 4 then
      local htype, hlen = string.unpack(">BI3", handshake)
      if htype ~= 2 then return nil, "handshake message " .. htype .. " is not a ServerHello" end
      if hlen > MAX_HANDSHAKE then return nil, "ServerHello too long" end
      if #handshake >= 4 + hlen then
        return parse_hello_body(string.sub(handshake, 5, 4 + hlen))
      end
    end
    if #fragment < length then return nil, "incomplete" end
    pos = pos + 5 + length
  end
end

-- ---------------------------------------------------------------- hooks

function on_load(config)
  if type(config) == "table" then
    if config.probe_all_ports ~= nil then settings.probe_all_ports = config.probe_all_ports == true end
    if type(config.timeout) == "number" and config.timeout > 0 and config.timeout <= 60 then
      settings.timeout = config.timeout
    end
    if type(config.extra_ports) == "table" then
      for _, port in ipairs(config.extra_ports) do
        if math.type(port) == "integer" then TLS_PORTS[port] = TLS_PORTS[port] or "tls" end
      end
    end
  end
  prtip.log("debug", "ssl-checker loaded")
  return true
end

function on_unload()
  prtip.log("debug", "ssl-checker unloaded")
end

function analyze_banner(banner)
  if type(banner) ~= "string" or #banner < 3 then return nil end
  -- 1. a TLS record
  local ctype = tls.record_header(banner)
  if ctype then
    local hello = tls.parse_server_hello(banner)
    local info = "TLS record"
    if hello and hello.alert then
      info = "TLS alert: " .. hello.alert
    elseif hello then
      info = hello.version .. " " .. hello.cipher
    end
    return { service = "ssl", info = info, confidence = 0.8 }
  end
  -- 2. the text names TLS or SSL as a word
  local lower = string.lower(banner)
  if string.find(lower, "%f[%w_]tls%f[^%w_]") or string.find(lower, "%f[%w_]ssl%f[^%w_]") then
    return { service = "ssl", info = "TLS/SSL encrypted service", confidence = 0.7 }
  end
  -- 3. the port
  local target = prtip.get_target()
  local name = target and target.protocol == "tcp" and TLS_PORTS[target.port]
  if name then
    return { service = "ssl", info = "TLS port (" .. name .. ")", confidence = 0.6 }
  end
  return nil
end

-- Send a ClientHello and read the ServerHello: the negotiated version and cipher.
function probe_service(target)
  if type(target) ~= "table" or target.protocol ~= "tcp" then return nil end
  if not settings.probe_all_ports and not TLS_PORTS[target.port] then return nil end
  local sid, why = prtip.connect(target.ip, target.port, settings.timeout)
  if not sid then
    prtip.log("debug", string.format("%s:%d: %s", target.ip, target.port, why or "no connection"))
    return nil
  end
  prtip.send(sid, tls.client_hello(target.hostname))
  local data, hello, problem = "", nil, "no answer"
  for _ = 1, 16 do -- a ServerHello fits in a few reads
    local chunk = prtip.receive(sid, 8192, settings.timeout)
    if #chunk == 0 then break end
    data = data .. table.concat(chunk)
    hello, problem = tls.parse_server_hello(data)
    if hello or problem ~= "incomplete" then break end
  end
  prtip.close(sid)
  if not hello then
    prtip.log("debug", string.format("%s:%d: no TLS (%s)", target.ip, target.port, problem or "?"))
    return nil
  end
  if hello.alert then
    prtip.add_result("tls_alert", hello.alert)
    return { service = "ssl", info = "TLS alert: " .. hello.alert, confidence = 0.7 }
  end
  prtip.add_result("tls_version", hello.version)
  prtip.add_result("tls_cipher", hello.cipher)
  return { service = "ssl", info = hello.version .. " " .. hello.cipher, confidence = 0.75 }
end
