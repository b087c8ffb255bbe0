/*
 * What the glance and the admin page share: calls back to the app with the iframe's context token, Jira's error
 * messages in words, people's names and avatars (looked up in Jira by the browser, so the app stores no names),
 * and keeping the iframe as tall as its content.
 */
(function (global) {
  'use strict';

  async function appFetch(path, options) {
    const token = await AP.context.getToken();
    const init = Object.assign({}, options || {});
    init.headers = Object.assign({ Authorization: 'JWT ' + token }, init.headers || {});
    const response = await fetch(path, init);
    if (!response.ok) {
      let message = 'The app answered ' + response.status;
      try {
        const body = await response.json();
        if (body && body.error) message = body.error;
      } catch (ignored) { /* not JSON */ }
      throw new Error(message);
    }
    return response;
  }

  /**
   * Replaces the element with this id by the same element of the page the app renders at path (the page's own
   * content, fetched again). A failed fetch leaves the element as it is.
   */
  async function replaceFrom(path, id) {
    try {
      const response = await appFetch(path);
      const next = new DOMParser().parseFromString(await response.text(), 'text/html').getElementById(id);
      const current = document.getElementById(id);
      if (next && current) current.replaceWith(next);
    } catch (ignored) {
      // the caller polls again
    }
  }

  function jiraMessage(failure) {
    const xhr = failure && failure.xhr;
    if (xhr && xhr.responseText) {
      try {
        const body = JSON.parse(xhr.responseText);
        const messages = (body.errorMessages || []).concat(Object.values(body.errors || {}));
        if (messages.length) return messages.join(' ');
      } catch (ignored) { /* not JSON */ }
    }
    if (xhr && xhr.status) return 'Jira answered ' + xhr.status + '.';
    return (failure && (failure.err || failure.message)) || 'Jira could not be reached.';
  }

  const people = new Map();

  function person(accountId) {
    if (!people.has(accountId)) {
      people.set(accountId, AP.request({ url: '/rest/api/3/user?accountId=' + encodeURIComponent(accountId) })
        .then(function (answer) { return JSON.parse(answer.body); })
        .catch(function () { return null; }));
    }
    return people.get(accountId);
  }

  /** Replaces account ids under root with the person's name and avatar. */
  function showPeople(root) {
    root.querySelectorAll('[data-account-id]').forEach(function (element) {
      const accountId = element.getAttribute('data-account-id');
      person(accountId).then(function (user) {
        if (!user || element.getAttribute('data-resolved') === accountId) return;
        element.setAttribute('data-resolved', accountId);
        element.textContent = user.displayName || 'Unknown person';
        const avatar = user.avatarUrls && (user.avatarUrls['24x24'] || user.avatarUrls['48x48']);
        if (avatar && element.classList.contains('item__value')) {
          const image = document.createElement('img');
          image.className = 'avatar';
          image.alt = '';
          image.src = avatar;
          element.prepend(image);
        }
        const item = element.closest('.item');
        if (item && element.classList.contains('item__value')) {
          item.querySelectorAll('[data-action]').forEach(function (button) {
            button.setAttribute('aria-label', button.textContent.trim() + ' ' + user.displayName);
          });
        }
        resize();
      });
    });
  }

  function resize() {
    if (global.AP && AP.resize) AP.resize('100%', Math.ceil(document.documentElement.scrollHeight) + 'px');
  }

  function flag(title, body, type) {
    if (global.AP && AP.flag) AP.flag.create({ title: title, body: body, type: type, close: type === 'error' ? 'manual' : 'auto' });
  }

  global.Triage = { appFetch: appFetch, replaceFrom: replaceFrom, jiraMessage: jiraMessage, showPeople: showPeople, resize: resize, flag: flag };
})(window);
