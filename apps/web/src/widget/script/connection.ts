/**
 * Widget script, part: the widget's storage, its calls to the customer API and the WebSocket with reconnects.
 * Plain browser JavaScript (ES2017) without backticks, run inside the function that
 * widget-script.ts wraps the parts in (they share its scope).
 */
export const CONNECTION_JS = String.raw`
  // ---- Connection: storage, HTTP API and the live stream ------------------------------------

  /**
   * What the widget remembers on this device, per Parley server: the identity (a visitor's id and
   * token, or the signed-in customer's id), the conversation, what was read and whether the panel
   * was open. Falls back to memory when the browser refuses storage.
   */
  function createStore(server) {
    var key = 'parley.widget:' + server;
    var memory = null;
    return {
      load: function () {
        try {
          var raw = window.localStorage.getItem(key);
          return raw ? JSON.parse(raw) : null;
        } catch (e) {
          return memory;
        }
      },
      save: function (state) {
        memory = state;
        try {
          if (state) window.localStorage.setItem(key, JSON.stringify(state));
          else window.localStorage.removeItem(key);
        } catch (e) {
          /* storage is blocked: memory only */
        }
      }
    };
  }

  /** "?visitorToken=…" or "?userHash=…": how a reader proves the conversation is theirs. */
  function credentialQuery(credential) {
    var names = Object.keys(credential);
    return names.length ? '?' + names[0] + '=' + encodeURIComponent(credential[names[0]]) : '';
  }

  /** The customer API; resolves with { status, data, error } (status 0: no connection). */
  function createApi(server) {
    function request(method, path, body, headers) {
      var init = { method: method, headers: { accept: 'application/json' }, credentials: 'omit', cache: 'no-store' };
      if (body !== undefined) {
        init.headers['content-type'] = 'application/json';
        init.body = JSON.stringify(body);
      }
      Object.keys(headers || {}).forEach(function (name) {
        init.headers[name] = headers[name];
      });
      return fetch(server + path, init).then(
        function (response) {
          return response.json().catch(function () { return null; }).then(function (data) {
            var error = data && data.error ? data.error : response.ok ? null : { code: 'http_' + response.status, message: 'HTTP ' + response.status };
            return { status: response.status, data: data, error: error };
          });
        },
        function () {
          return { status: 0, data: null, error: { code: 'network', message: 'No connection.' } };
        }
      );
    }
    return {
      newVisitor: function () {
        return request('POST', '/api/v1/visitors');
      },
      // wait=false: the 202 names the conversation at once, so the stream can connect before the
      // reply is written; the reply comes over the stream (or, failing that, the transcript).
      post: function (body, idempotencyKey) {
        return request('POST', '/api/v1/messages?wait=false', body, { 'idempotency-key': idempotencyKey });
      },
      transcript: function (conversationId, credential) {
        return request('GET', '/api/v1/conversations/' + encodeURIComponent(conversationId) + '/messages' + credentialQuery(credential));
      }
    };
  }

  /**
   * The conversation's WebSocket. Reconnects with exponential backoff (0.5 s doubling to 30 s,
   * with jitter so a restarted server is not hit by every widget at once) and tells "handlers"
   * each time it opens, so the chat can fetch what it missed while it was down.
   */
  function createStream(server, handlers) {
    var target = null;
    var socket = null;
    var attempt = 0;
    var timer = null;

    function connect() {
      timer = null;
      if (!target) return;
      var url = server.replace(/^http/, 'ws') + '/api/v1/stream' + credentialQuery(target.credential);
      url += (url.indexOf('?') < 0 ? '?' : '&') + 'conversationId=' + encodeURIComponent(target.conversationId);
      var ws = new WebSocket(url);
      var opened = false;
      socket = ws;
      ws.onopen = function () {
        if (socket !== ws) return;
        opened = true;
        attempt = 0;
        handlers.open();
      };
      ws.onmessage = function (message) {
        if (socket !== ws) return;
        var event;
        try {
          event = JSON.parse(message.data);
        } catch (e) {
          return;
        }
        handlers.event(event);
      };
      ws.onclose = function () {
        if (socket !== ws) return;
        socket = null;
        handlers.closed(opened);
        schedule();
      };
    }

    function schedule() {
      if (!target || timer) return;
      var delay = Math.min(30000, 500 * Math.pow(2, attempt));
      attempt += 1;
      timer = setTimeout(connect, delay / 2 + Math.random() * (delay / 2));
    }

    function stop() {
      target = null;
      clearTimeout(timer);
      timer = null;
      if (socket) {
        var old = socket;
        socket = null;
        old.close();
      }
    }

    window.addEventListener('online', function () {
      if (target && !socket) {
        clearTimeout(timer);
        attempt = 0;
        connect();
      }
    });

    return {
      /** Follows "conversationId" (replacing any other), proving it is ours with "credential". */
      follow: function (conversationId, credential) {
        if (target && target.conversationId === conversationId && socket) return;
        stop();
        target = { conversationId: conversationId, credential: credential };
        attempt = 0;
        connect();
      },
      stop: stop,
      isOpen: function () {
        return !!socket && socket.readyState === 1;
      }
    };
  }
`;
