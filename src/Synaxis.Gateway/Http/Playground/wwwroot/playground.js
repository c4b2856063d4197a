// The Synaxis playground: chat with the gateway's models and read back what each answer took and cost.
// Model output is only ever put into the page as text (Node.textContent / append of strings), never as HTML.
'use strict';

(() => {
  // sessionStorage only: the key must not outlive the tab, nor reach other tabs, cookies or disk.
  const KEY_ITEM = 'synaxis.apiKey';
  const SVG = 'http://www.w3.org/2000/svg';

  const $ = (id) => document.getElementById(id);
  const ui = {
    key: $('api-key'),
    forgetKey: $('forget-key'),
    model: $('model'),
    reloadModels: $('reload-models'),
    modelsStatus: $('models-status'),
    transcript: $('transcript'),
    composer: $('composer'),
    prompt: $('prompt'),
    send: $('send'),
    stop: $('stop'),
    newChat: $('new-chat'),
    usageForm: $('usage-form'),
    usageStart: $('usage-start'),
    usageEnd: $('usage-end'),
    usageMetric: $('usage-metric'),
    usageStatus: $('usage-status'),
    usageResult: $('usage-result'),
    usageTotals: $('usage-totals'),
    usageChart: $('usage-chart'),
    usageModels: document.querySelector('#usage-models tbody'),
  };

  const pricing = new Map();
  let conversation = [];
  let controller = null;
  let lastUsage = null;

  // ---- requests ------------------------------------------------------------------------------

  function headers(json) {
    const result = {};
    const key = ui.key.value.trim();
    if (key) result.Authorization = `Bearer ${key}`;
    if (json) result['Content-Type'] = 'application/json';
    return result;
  }

  // Reads an OpenAI-shaped error body ({"error":{"message","type","code"}}) and Retry-After.
  async function readError(response) {
    const error = { status: response.status, message: `HTTP ${response.status}`, code: null };
    try {
      const body = await response.json();
      if (body && body.error) {
        error.message = body.error.message || error.message;
        error.code = body.error.code || body.error.type || null;
      }
    } catch {
      // Not JSON: the status says what there is to say.
    }
    const retryAfter = response.headers.get('Retry-After');
    if (retryAfter) error.retryAfter = retryAfter;
    return error;
  }

  function describeError(error) {
    let text = `${error.status}${error.code ? ` ${error.code}` : ''}: ${error.message}`;
    if (error.status === 401) text += ' Check the API key.';
    if (error.status === 402) text += ' The key has no credit or budget left.';
    if (error.status === 429) text += error.retryAfter ? ` Try again in ${error.retryAfter} s.` : ' Try again later.';
    return text;
  }

  // Server-sent events from a fetch body: events may span reads and a read may hold several events.
  async function* readEvents(body) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let data = [];
    let event = 'message';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, end).replace(/\r$/, '');
          buffer = buffer.slice(end + 1);
          if (line === '') {
            if (data.length) yield { event, data: data.join('\n') };
            data = [];
            event = 'message';
          } else if (!line.startsWith(':')) {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'data') data.push(value);
            else if (field === 'event') event = value;
          }
        }
      }
    } finally {
      reader.cancel().catch(() => {});
    }
  }

  // ---- key and models ------------------------------------------------------------------------

  function saveKey() {
    const key = ui.key.value.trim();
    if (key) sessionStorage.setItem(KEY_ITEM, key);
    else sessionStorage.removeItem(KEY_ITEM);
  }

  async function loadModels() {
    ui.modelsStatus.textContent = 'Loading models…';
    ui.modelsStatus.classList.remove('error-text');
    try {
      const response = await fetch('/v1/models', { headers: headers(false) });
      if (!response.ok) throw new Error(describeError(await readError(response)));
      const list = await response.json();
      const previous = ui.model.value;
      ui.model.replaceChildren();
      pricing.clear();
      for (const model of list.data) {
        pricing.set(model.id, model.pricing || null);
        ui.model.append(new Option(model.id, model.id));
      }
      if (list.data.some((m) => m.id === previous)) ui.model.value = previous;
      ui.modelsStatus.textContent = `${list.data.length} model${list.data.length === 1 ? '' : 's'} available.`;
    } catch (error) {
      ui.modelsStatus.textContent = `Could not list models: ${error.message}`;
      ui.modelsStatus.classList.add('error-text');
    }
  }

  // ---- chat ----------------------------------------------------------------------------------

  function appendMessage(role, label) {
    const message = document.createElement('div');
    message.className = `message ${role}`;
    const header = document.createElement('div');
    header.className = 'role';
    header.textContent = label;
    const content = document.createElement('div');
    content.className = 'content';
    message.append(header, content);
    ui.transcript.append(message);
    return { message, content };
  }

  function scrollToEnd() {
    ui.transcript.scrollTop = ui.transcript.scrollHeight;
  }

  function stat(list, name, label, value) {
    const item = document.createElement('div');
    const term = document.createElement('dt');
    term.textContent = label;
    const detail = document.createElement('dd');
    detail.dataset.stat = name;
    detail.textContent = value;
    item.append(term, detail);
    list.append(item);
  }

  const integer = (n) => (typeof n === 'number' ? n.toLocaleString('en-US') : '—');

  // Dollars to the millionth (single answers cost fractions of a cent), without trailing zeros beyond the cents.
  function money(amount) {
    if (typeof amount !== 'number') return '—';
    let text = amount.toFixed(6).replace(/0+$/, '');
    if (text.length - text.indexOf('.') - 1 < 2) text = amount.toFixed(2);
    return `$${text}`;
  }

  // The catalog's prices of the primary deployment; a fallback deployment may have charged otherwise.
  function estimateCost(model, usage) {
    const prices = pricing.get(model);
    if (!prices || !usage) return null;
    const prompt = usage.prompt_tokens || 0;
    const cached = Math.min(usage.prompt_tokens_details?.cached_tokens || 0, prompt);
    const input = prices.input_per_million || 0;
    const cachedInput = prices.cached_input_per_million ?? input;
    const output = prices.output_per_million || 0;
    return ((prompt - cached) * input + cached * cachedInput + (usage.completion_tokens || 0) * output) / 1e6;
  }

  function showStats(view, model, timing, usage, state) {
    const list = document.createElement('dl');
    list.className = 'stats';
    stat(list, 'prompt-tokens', 'prompt tokens', integer(usage?.prompt_tokens));
    stat(list, 'completion-tokens', 'completion tokens', integer(usage?.completion_tokens));
    const ttft = timing.firstToken === null ? null : timing.firstToken - timing.start;
    stat(list, 'ttft', 'time to first token', ttft === null ? '—' : `${Math.round(ttft)} ms`);
    const seconds = timing.firstToken === null ? 0 : (timing.end - timing.firstToken) / 1000;
    const tokens = usage?.completion_tokens;
    stat(list, 'tokens-per-second', 'tokens/s', tokens && seconds > 0 ? (tokens / seconds).toFixed(1) : '—');
    const cost = estimateCost(model, usage);
    stat(list, 'cost', 'cost (estimate)', cost === null ? 'not priced' : `≈ ${money(cost)}`);
    stat(list, 'state', 'state', state);
    view.message.append(list);
  }

  function showError(view, text) {
    const error = document.createElement('div');
    error.className = 'error';
    error.setAttribute('role', 'alert');
    error.textContent = text;
    view.message.append(error);
  }

  function setBusy(busy) {
    ui.send.disabled = busy;
    ui.stop.disabled = !busy;
    ui.model.disabled = busy;
  }

  async function send(text) {
    const model = ui.model.value;
    if (!model) {
      ui.modelsStatus.textContent = 'Pick a model first (enter the key and reload the models).';
      ui.modelsStatus.classList.add('error-text');
      return;
    }

    appendMessage('user', 'You').content.textContent = text;
    // "New chat" during the answer starts another conversation; this answer still belongs to its own.
    const turns = conversation;
    turns.push({ role: 'user', content: text });
    const view = appendMessage('assistant', model);
    view.message.dataset.state = 'streaming';
    scrollToEnd();

    controller = new AbortController();
    setBusy(true);
    const timing = { start: performance.now(), firstToken: null, end: null };
    let answer = '';
    let usage = null;
    let state = 'complete';
    try {
      const response = await fetch('/v1/chat/completions', {
        method: 'POST',
        headers: headers(true),
        body: JSON.stringify({ model, messages: turns, stream: true, stream_options: { include_usage: true } }),
        signal: controller.signal,
      });
      if (!response.ok) throw Object.assign(new Error(describeError(await readError(response))), { name: 'ApiError' });

      for await (const event of readEvents(response.body)) {
        if (event.data === '[DONE]') break;
        let chunk;
        try {
          chunk = JSON.parse(event.data);
        } catch {
          continue;
        }
        // A failure after the first token arrives as an error event in the stream (the status is long sent).
        if (chunk.error) throw Object.assign(new Error(`${chunk.error.code || chunk.error.type || 'error'}: ${chunk.error.message}`), { name: 'ApiError' });
        const content = chunk.choices?.[0]?.delta?.content;
        if (content) {
          const now = performance.now();
          if (timing.firstToken === null) timing.firstToken = now;
          answer += content;
          view.content.append(content);
          scrollToEnd();
        }
        if (chunk.choices?.[0]?.finish_reason === 'length') state = 'cut at the token limit';
        if (chunk.usage) usage = chunk.usage;
      }
    } catch (error) {
      if (error.name === 'AbortError') {
        state = 'stopped';
      } else {
        state = 'failed';
        showError(view, error.name === 'ApiError' ? error.message : `Network error: ${error.message}`);
      }
    } finally {
      timing.end = performance.now();
      controller = null;
      setBusy(false);
    }

    if (answer) turns.push({ role: 'assistant', content: answer });
    else turns.pop(); // nothing came back: the question can be asked again without a dangling turn
    view.message.dataset.state = state === 'stopped' || state === 'failed' ? state : 'done';
    showStats(view, model, timing, usage, state);
    scrollToEnd();
  }

  // ---- usage ---------------------------------------------------------------------------------

  function utcDays(start, end) {
    const days = [];
    for (let day = new Date(`${start}T00:00:00Z`); day <= new Date(`${end}T00:00:00Z`); day.setUTCDate(day.getUTCDate() + 1)) {
      days.push(day.toISOString().slice(0, 10));
    }
    return days;
  }

  function svg(name, attributes, text) {
    const element = document.createElementNS(SVG, name);
    for (const [attribute, value] of Object.entries(attributes)) element.setAttribute(attribute, String(value));
    if (text !== undefined) element.textContent = text;
    return element;
  }

  const metrics = {
    tokens: { label: 'tokens', of: (d) => (d.prompt_tokens || 0) + (d.completion_tokens || 0), format: integer },
    requests: { label: 'requests', of: (d) => d.requests || 0, format: integer },
    cost: { label: 'USD', of: (d) => d.cost || 0, format: money },
  };

  function drawChart(usage) {
    const metric = metrics[ui.usageMetric.value] || metrics.tokens;
    const byDate = new Map(usage.days.map((d) => [d.date, d]));
    const days = utcDays(usage.start, usage.end);
    const values = days.map((date) => (byDate.has(date) ? metric.of(byDate.get(date)) : 0));
    const max = Math.max(...values, 0);
    const [width, height, top, bottom, left] = [640, 180, 16, 20, 4];
    const slot = (width - left) / Math.max(days.length, 1);
    const chart = ui.usageChart;
    chart.replaceChildren();
    chart.append(svg('line', { class: 'axis', x1: left, x2: width, y1: height - bottom, y2: height - bottom }));
    days.forEach((date, i) => {
      const barHeight = max > 0 ? ((height - top - bottom) * values[i]) / max : 0;
      const bar = svg('rect', {
        class: 'bar',
        x: (left + i * slot + slot * 0.1).toFixed(2),
        y: (height - bottom - barHeight).toFixed(2),
        width: Math.max(slot * 0.8, 1).toFixed(2),
        height: barHeight.toFixed(2),
        'data-date': date,
        'data-value': values[i],
      });
      bar.append(svg('title', {}, `${date}: ${metric.format(values[i])} ${metric === metrics.cost ? '' : metric.label}`.trim()));
      chart.append(bar);
    });
    chart.append(svg('text', { x: left, y: 12 }, `max ${metric.format(max)} ${metric === metrics.cost ? '' : metric.label} per day`.trim()));
    chart.append(svg('text', { x: left, y: height - 4 }, days[0] || ''));
    chart.append(svg('text', { x: width, y: height - 4, 'text-anchor': 'end' }, days[days.length - 1] || ''));
  }

  function showUsage(usage) {
    const totals = usage.totals;
    ui.usageTotals.replaceChildren();
    stat(ui.usageTotals, 'usage-period', 'period', `${usage.start} to ${usage.end} (UTC)`);
    stat(ui.usageTotals, 'usage-requests', 'requests', integer(totals.requests));
    stat(ui.usageTotals, 'usage-failed', 'failed', integer(totals.failed_requests));
    stat(ui.usageTotals, 'usage-aborted', 'aborted', integer(totals.aborted_requests));
    stat(ui.usageTotals, 'usage-prompt-tokens', 'prompt tokens', integer(totals.prompt_tokens));
    stat(ui.usageTotals, 'usage-completion-tokens', 'completion tokens', integer(totals.completion_tokens));
    stat(ui.usageTotals, 'usage-cached-tokens', 'cached tokens', integer(totals.cached_tokens));
    stat(ui.usageTotals, 'usage-cost', `cost (${usage.currency || 'USD'})`, money(totals.cost));
    if (usage.balance) {
      if (usage.balance.credit_remaining != null) stat(ui.usageTotals, 'usage-credit', 'credit left', money(usage.balance.credit_remaining));
      if (usage.balance.month_spent != null) stat(ui.usageTotals, 'usage-month-spent', 'spent this month', money(usage.balance.month_spent));
      if (usage.balance.monthly_budget != null) stat(ui.usageTotals, 'usage-budget', 'monthly budget', money(usage.balance.monthly_budget));
    }

    ui.usageModels.replaceChildren();
    for (const row of usage.models) {
      const tr = document.createElement('tr');
      for (const value of [row.model, integer(row.requests), integer(row.prompt_tokens), integer(row.completion_tokens), integer(row.cached_tokens), money(row.cost)]) {
        const td = document.createElement('td');
        td.textContent = value;
        tr.append(td);
      }
      ui.usageModels.append(tr);
    }

    drawChart(usage);
    ui.usageResult.hidden = false;
  }

  async function loadUsage() {
    const query = new URLSearchParams();
    if (ui.usageStart.value) query.set('start', ui.usageStart.value);
    if (ui.usageEnd.value) query.set('end', ui.usageEnd.value);
    ui.usageStatus.textContent = 'Loading usage…';
    ui.usageStatus.classList.remove('error-text');
    try {
      const response = await fetch(`/v1/usage${query.size ? `?${query}` : ''}`, { headers: headers(false) });
      if (!response.ok) throw new Error(describeError(await readError(response)));
      lastUsage = await response.json();
      showUsage(lastUsage);
      ui.usageStatus.textContent = lastUsage.key_id ? `Key ${lastUsage.key_id}` : '';
    } catch (error) {
      ui.usageResult.hidden = true;
      ui.usageStatus.textContent = `Could not load usage: ${error.message}`;
      ui.usageStatus.classList.add('error-text');
    }
  }

  // ---- wiring --------------------------------------------------------------------------------

  ui.key.value = sessionStorage.getItem(KEY_ITEM) || '';
  ui.key.addEventListener('input', saveKey);
  ui.key.addEventListener('change', loadModels);
  ui.forgetKey.addEventListener('click', () => {
    ui.key.value = '';
    saveKey();
  });
  ui.reloadModels.addEventListener('click', loadModels);
  ui.composer.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = ui.prompt.value.trim();
    if (!text || controller) return;
    ui.prompt.value = '';
    send(text);
  });
  ui.prompt.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      ui.composer.requestSubmit();
    }
  });
  ui.stop.addEventListener('click', () => controller?.abort());
  ui.newChat.addEventListener('click', () => {
    controller?.abort();
    conversation = [];
    ui.transcript.replaceChildren();
  });
  ui.usageForm.addEventListener('submit', (event) => {
    event.preventDefault();
    loadUsage();
  });
  ui.usageMetric.addEventListener('change', () => {
    if (lastUsage) drawChart(lastUsage);
  });

  loadModels();
})();
