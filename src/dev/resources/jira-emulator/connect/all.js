/*
 * Atlassian Connect's JavaScript API, as the Jira emulator serves it at /atlassian-connect/all.js for the app's
 * iframes (sandbox and browser tests). The subset the app uses:
 *
 *   AP.context.getToken([callback])      -> Promise<string>: a context JWT (qsh "context-qsh") for the signed-in user
 *   AP.request(options) / AP.request(url, options)
 *                                        -> Promise<{body, xhr}>, rejected with {err, xhr} for non-2xx answers;
 *                                           options: url (relative /rest/... of the site), type (GET, POST, PUT,
 *                                           DELETE), data (string; objects are sent as JSON), contentType,
 *                                           success(body, statusText, xhr), error(xhr, statusText, err)
 *   AP.resize([width, height])           with no arguments: fit the iframe to this document once; with a height:
 *                                           that size, and automatic resizing stops (the page took control)
 *   AP.sizeToParent()                    fill the host page's remaining height; automatic resizing stops
 *   AP.flag.create({title, body, type, close}) -> {close()}; type info|success|warning|error, close auto|manual
 *   AP.navigator.reload(), AP.navigator.go('issue', {issueKey})
 *
 * Until the page calls AP.resize with a height or AP.sizeToParent, the iframe follows this document's height
 * (a ResizeObserver on document.body).
 *
 * Everything is a window.postMessage to the host page (host.js), which does the work as the signed-in user. Messages
 * go only to the host's origin (the xdm_e parameter Jira puts on every iframe URL) and only its replies, from the
 * parent window, are accepted: another frame cannot answer in the host's name.
 */
(function () {
  'use strict';
  if (window.AP) {
    return;
  }

  var script = document.currentScript;
  var hostOrigin = (function () {
    var xdm = new URLSearchParams(window.location.search).get('xdm_e');
    try {
      return new URL(xdm || script.src).origin;
    } catch (invalid) {
      return null;
    }
  })();

  var nextCallId = 1;
  var nextFlagId = 1;
  var pending = {};
  var autoResize = true;
  var lastHeight = null;

  function call(method, args) {
    return new Promise(function (resolve, reject) {
      if (window.parent === window || !hostOrigin) {
        reject(new Error('AP needs to run in an iframe of a Jira page'));
        return;
      }
      var id = nextCallId++;
      pending[id] = { resolve: resolve, reject: reject };
      window.parent.postMessage({ ap: 'call', id: id, method: method, args: args || [] }, hostOrigin);
    });
  }

  /** A call whose answer nobody waits for. */
  function tell(method, args) {
    call(method, args).catch(function (error) {
      if (window.console) {
        window.console.warn('AP ' + method + ': ' + (error && error.message ? error.message : error));
      }
    });
  }

  window.addEventListener('message', function (event) {
    if (event.origin !== hostOrigin || event.source !== window.parent) {
      return;
    }
    var data = event.data;
    if (!data || data.ap !== 'reply' || !Object.prototype.hasOwnProperty.call(pending, data.id)) {
      return;
    }
    var waiting = pending[data.id];
    delete pending[data.id];
    if (data.ok) {
      waiting.resolve(data.value);
    } else {
      waiting.reject(new Error(data.error));
    }
  });

  function contentHeight() {
    var body = document.body;
    var style = window.getComputedStyle(body);
    return Math.ceil(body.getBoundingClientRect().height + parseFloat(style.marginTop) +
      parseFloat(style.marginBottom));
  }

  function postHeight() {
    var height = contentHeight();
    if (height !== lastHeight) {
      lastHeight = height;
      tell('resize', [null, height + 'px']);
    }
  }

  function cssLength(value) {
    return typeof value === 'number' ? value + 'px' : value;
  }

  function watchHeight() {
    if (!window.ResizeObserver) {
      return;
    }
    new ResizeObserver(function () {
      if (autoResize) {
        postHeight();
      }
    }).observe(document.body);
  }

  if (document.body) {
    watchHeight();
  } else {
    document.addEventListener('DOMContentLoaded', watchHeight);
  }

  function xhrOf(response) {
    return { status: response.status, statusText: response.statusText, responseText: response.responseText };
  }

  var AP = {
    context: {
      getToken: function (callback) {
        var token = call('context.getToken');
        if (typeof callback === 'function') {
          token.then(function (value) { callback(value); }, function () { callback(null); });
        }
        return token;
      }
    },

    request: function (urlOrOptions, moreOptions) {
      var options = typeof urlOrOptions === 'string'
        ? Object.assign({}, moreOptions, { url: urlOrOptions })
        : Object.assign({}, urlOrOptions);
      var data = options.data;
      if (data !== undefined && data !== null && typeof data !== 'string') {
        data = JSON.stringify(data);
      }
      var request = { url: options.url, type: options.type || 'GET', data: data, contentType: options.contentType };
      return call('request', [request]).then(function (response) {
        var xhr = xhrOf(response);
        if (response.status >= 200 && response.status < 300) {
          if (typeof options.success === 'function') {
            options.success(response.responseText, response.statusText, xhr);
          }
          return { body: response.responseText, xhr: xhr };
        }
        var err = response.statusText || ('HTTP ' + response.status);
        if (typeof options.error === 'function') {
          options.error(xhr, 'error', err);
        }
        throw { err: err, xhr: xhr };
      }, function (failure) {
        var xhr = { status: 0, statusText: '', responseText: '' };
        var err = failure && failure.message ? failure.message : String(failure);
        if (typeof options.error === 'function') {
          options.error(xhr, 'error', err);
        }
        throw { err: err, xhr: xhr };
      });
    },

    resize: function (width, height) {
      if (height === undefined || height === null) {
        lastHeight = null;
        if (width !== undefined && width !== null) {
          tell('resize', [cssLength(width), null]);
        }
        postHeight();
        return;
      }
      autoResize = false;
      tell('resize', [width === undefined || width === null ? null : cssLength(width), cssLength(height)]);
    },

    sizeToParent: function () {
      autoResize = false;
      tell('sizeToParent', []);
    },

    flag: {
      create: function (options) {
        var id = 'flag-' + nextFlagId++;
        var flag = options || {};
        tell('flag.create', [{
          id: id,
          title: flag.title === undefined ? '' : String(flag.title),
          body: flag.body === undefined ? '' : String(flag.body),
          type: flag.type || 'info',
          close: flag.close || 'manual'
        }]);
        return {
          close: function () {
            tell('flag.close', [id]);
          }
        };
      }
    },

    navigator: {
      reload: function () {
        tell('navigator.reload', []);
      },
      go: function (target, context) {
        tell('navigator.go', [target, context || {}]);
      }
    }
  };

  window.AP = AP;
})();
