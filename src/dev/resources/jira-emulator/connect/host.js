/*
 * The host side of the emulator's Connect JavaScript API (see all.js): runs on the site's pages, answers the app's
 * iframes and wires the pages' own controls (user switcher, Create dialog).
 *
 * A message counts only if it comes from one of the page's app iframes (event.source is that iframe's window) and
 * from the app's origin (event.origin equals the iframe's data-app-origin, the descriptor's baseUrl): any other
 * frame or window is ignored. Replies go to that iframe only, addressed to the app's origin. AP.request runs as the
 * signed-in user (the site's session cookie, same origin) and only for /rest/ paths of this site.
 */
(function () {
  'use strict';

  var FLAG_AUTO_CLOSE_MS = 8000;
  var FLAG_TYPES = ['info', 'success', 'warning', 'error'];
  var FLAG_ICONS = { info: 'i', success: '\u2713', warning: '!', error: '!' };
  var METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
  var ISSUE_KEY = /^[A-Z][A-Z0-9_]*-[0-9]+$/;
  var CSS_LENGTH = /^[0-9]+(\.[0-9]+)?(px|%|vh)?$/;
  var flags = new Map();

  function appFrameOf(source) {
    var frames = document.querySelectorAll('iframe[data-app-origin]');
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === source) {
        return frames[i];
      }
    }
    return null;
  }

  window.addEventListener('message', function (event) {
    var data = event.data;
    if (!data || data.ap !== 'call' || typeof data.method !== 'string') {
      return;
    }
    var frame = appFrameOf(event.source);
    if (!frame || event.origin !== frame.dataset.appOrigin) {
      return;
    }
    var handler = Object.prototype.hasOwnProperty.call(handlers, data.method) ? handlers[data.method] : null;
    var answer = handler
      ? Promise.resolve().then(function () { return handler(frame, Array.isArray(data.args) ? data.args : []); })
      : Promise.reject(new Error('Unknown AP method ' + data.method));
    answer.then(function (value) {
      reply(frame, data.id, { ok: true, value: value === undefined ? null : value });
    }, function (error) {
      reply(frame, data.id, { ok: false, error: error && error.message ? error.message : String(error) });
    });
  });

  function reply(frame, id, outcome) {
    if (frame.contentWindow) {
      frame.contentWindow.postMessage(Object.assign({ ap: 'reply', id: id }, outcome), frame.dataset.appOrigin);
    }
  }

  function cssLength(value) {
    if (value === null || value === undefined || value === '') {
      return null;
    }
    var text = String(value).trim();
    if (!CSS_LENGTH.test(text)) {
      throw new Error('Not a size: ' + text);
    }
    return /[0-9]$/.test(text) ? text + 'px' : text;
  }

  var handlers = {
    'context.getToken': function (frame) {
      return fetch('/plugins/servlet/ac/context-token', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
        body: JSON.stringify({ issueKey: frame.dataset.issueKey || null, projectKey: frame.dataset.projectKey || null })
      }).then(function (response) {
        if (!response.ok) {
          throw new Error('Could not get a context token: HTTP ' + response.status);
        }
        return response.json();
      }).then(function (body) {
        return body.token;
      });
    },

    'request': function (frame, args) {
      var options = args[0] || {};
      var method = String(options.type || 'GET').toUpperCase();
      if (METHODS.indexOf(method) < 0) {
        throw new Error('AP.request does not support ' + method);
      }
      var url = String(options.url || '');
      if (url.charAt(0) !== '/' || url.charAt(1) === '/' || url.indexOf('\\') >= 0) {
        throw new Error('AP.request takes a relative /rest/ URL of this site');
      }
      var target = new URL(url, window.location.origin);
      if (target.origin !== window.location.origin || target.pathname.indexOf('/rest/') !== 0) {
        throw new Error('AP.request takes a relative /rest/ URL of this site');
      }
      var init = { method: method, credentials: 'same-origin', headers: { 'Accept': 'application/json' } };
      if (options.data !== undefined && options.data !== null && method !== 'GET') {
        init.body = String(options.data);
        init.headers['Content-Type'] = options.contentType || 'application/json';
      }
      return fetch(target.pathname + target.search, init).then(function (response) {
        return response.text().then(function (text) {
          return { status: response.status, statusText: response.statusText, responseText: text };
        });
      });
    },

    'resize': function (frame, args) {
      var width = cssLength(args[0]);
      var height = cssLength(args[1]);
      if (width) {
        frame.style.width = width;
      }
      if (height) {
        frame.style.height = height;
      }
    },

    'sizeToParent': function (frame) {
      var available = document.documentElement.clientHeight - frame.getBoundingClientRect().top - 16;
      frame.style.height = Math.max(200, Math.floor(available)) + 'px';
    },

    'flag.create': function (frame, args) {
      var options = args[0] || {};
      var type = FLAG_TYPES.indexOf(options.type) >= 0 ? options.type : 'info';
      var key = frame.id + ':' + String(options.id);
      var flag = document.createElement('div');
      flag.className = 'flag flag-' + type;
      flag.setAttribute('role', type === 'error' || type === 'warning' ? 'alert' : 'status');
      var icon = document.createElement('span');
      icon.className = 'flag-icon';
      icon.setAttribute('aria-hidden', 'true');
      icon.textContent = FLAG_ICONS[type];
      var text = document.createElement('div');
      var title = document.createElement('div');
      title.className = 'flag-title';
      title.textContent = String(options.title || '');
      var body = document.createElement('div');
      body.className = 'flag-body';
      body.textContent = String(options.body || '');
      text.appendChild(title);
      text.appendChild(body);
      var close = document.createElement('button');
      close.type = 'button';
      close.className = 'flag-close';
      close.setAttribute('aria-label', 'Dismiss');
      close.textContent = '\u00d7';
      close.addEventListener('click', function () { removeFlag(key); });
      flag.appendChild(icon);
      flag.appendChild(text);
      flag.appendChild(close);
      document.getElementById('ap-flags').appendChild(flag);
      flags.set(key, flag);
      if (options.close === 'auto') {
        setTimeout(function () { removeFlag(key); }, FLAG_AUTO_CLOSE_MS);
      }
    },

    'flag.close': function (frame, args) {
      removeFlag(frame.id + ':' + String(args[0]));
    },

    'navigator.reload': function () {
      window.location.reload();
    },

    'navigator.go': function (frame, args) {
      var context = args[1] || {};
      if (args[0] !== 'issue' || !ISSUE_KEY.test(String(context.issueKey))) {
        throw new Error('AP.navigator.go supports only ("issue", {issueKey})');
      }
      window.location.assign('/browse/' + context.issueKey);
    }
  };

  function removeFlag(key) {
    var flag = flags.get(key);
    if (flag) {
      flags.delete(key);
      flag.remove();
    }
  }

  // The page's own controls.
  document.addEventListener('DOMContentLoaded', function () {
    var switcher = document.getElementById('user-switcher');
    if (switcher) {
      switcher.addEventListener('change', function () { switcher.form.submit(); });
    }
    var dialog = document.getElementById('create-issue-dialog');
    var create = document.getElementById('create-button');
    if (dialog && create) {
      create.addEventListener('click', function () { dialog.showModal(); });
      document.getElementById('create-cancel').addEventListener('click', function () { dialog.close(); });
    }
  });
})();
