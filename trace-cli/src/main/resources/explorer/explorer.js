// The trace explorer page: one script, no build step. Every view is a URL (/lot/CODE,
// /recall/CODE, /search?q=TEXT) rendered from the JSON under /api; text goes into the DOM as
// text (never as HTML) because trace documents carry names typed by people.
'use strict';

const COLOURS = {
  PURCHASED_LOT: ['#dbeafe', '#1d4ed8', 'purchased lot'],
  PRODUCED_LOT: ['#dcfce7', '#15803d', 'produced lot'],
  SHIPMENT: ['#fef3c7', '#b45309', 'shipment'],
  CUSTOMER: ['#ede9fe', '#6d28d9', 'customer'],
  COLLAPSED: ['#e5e7eb', '#6b7280', 'collapsed level'],
};
const HELD = '#c62828';
const QC_FAILED = '#ef6c00';
const NODE_W = 180;
const NODE_H = 46;

const view = () => document.getElementById('view');

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined) continue;
    if (k === 'class') node.className = v;
    else if (k === 'onclick') node.addEventListener('click', v);
    else node.setAttribute(k, v);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function link(href, text) {
  return el('a', { href, 'data-nav': '1' }, text);
}

const enc = encodeURIComponent;
const day = (t) => (t ? t.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, 'Z') : '');
const num = (n) => (n === null || n === undefined ? '' : (Math.round(n * 1000) / 1000).toLocaleString('en'));

function table(columns, rows, id) {
  return el('table', { id },
    el('thead', {}, el('tr', {}, columns.map((c) => el('th', {}, c)))),
    el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((cell) =>
      el('td', { class: typeof cell === 'number' ? 'num' : null },
        typeof cell === 'number' ? num(cell) : cell))))));
}

function badges(lot) {
  return [lot.onHold ? el('span', { class: 'badge hold' }, 'HOLD') : null, ' ',
    lot.qcStatus === 'FAILED' ? el('span', { class: 'badge qc' }, 'QC FAIL') : null];
}

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await response.json().catch(() => ({ error: response.statusText }));
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

function showError(error) {
  view().replaceChildren(el('p', { class: 'error', id: 'error' }, error.message || String(error)));
}

// ---- routing: every view has a URL -------------------------------------------------------

function navigate(url) {
  history.pushState(null, '', url);
  route();
}

async function route() {
  const path = location.pathname;
  const params = new URLSearchParams(location.search);
  try {
    let match;
    if ((match = path.match(/^\/lot\/(.+)$/))) {
      await showLot(decodeURIComponent(match[1]), params.get('max'));
    } else if ((match = path.match(/^\/recall\/([^/]+)$/))) {
      await showRecall(decodeURIComponent(match[1]));
    } else if ((match = path.match(/^\/exposure\/([^/]+)$/))) {
      await showExposure(decodeURIComponent(match[1]), params.get('material'));
    } else if (path === '/search' && params.get('q')) {
      document.getElementById('q').value = params.get('q');
      await showSearch(params.get('q'));
    } else {
      view().replaceChildren(el('p', { class: 'hint' },
        'Search for a lot, a unit\'s serial number, a supplier lot (SUPPLIER/LOT), a shipment or a customer.'));
    }
  } catch (error) {
    showError(error);
  }
}

document.addEventListener('click', (event) => {
  const a = event.target.closest && event.target.closest('a[data-nav]');
  if (a && !event.ctrlKey && !event.metaKey && !event.shiftKey && event.button === 0) {
    event.preventDefault();
    navigate(a.getAttribute('href'));
  }
});
window.addEventListener('popstate', route);

// ---- search --------------------------------------------------------------------------------

async function showSearch(text) {
  view().replaceChildren(el('p', { class: 'hint' }, 'Searching…'));
  const answer = await getJson('/api/search?q=' + enc(text));
  const parts = [el('h1', {}, 'Search: ' + text),
    el('p', { class: 'sub' }, `${answer.lotTotal} lots, ${answer.shipmentTotal} shipments (${answer.tookMs} ms in Elasticsearch)`)];
  if (answer.lots.length) {
    parts.push(el('h2', {}, 'Lots'), table(
      ['lot', 'kind', 'material', 'supplier / supplier lot', 'work order', 'received / produced', ''],
      answer.lots.map((l) => [link('/lot/' + enc(l.lotCode), l.lotCode), l.kind || '',
        [l.materialCode, l.materialName].filter(Boolean).join(' '),
        [l.supplierId, l.supplierLotCode].filter(Boolean).join(' / '), l.workOrderId || '',
        day(l.receivedAt || l.producedAt), badges(l)]), 'lot-results'));
  }
  if (answer.shipments.length) {
    parts.push(el('h2', {}, 'Shipments'), table(
      ['dispatch', 'customer', 'destination', 'shipped', 'lots'],
      answer.shipments.map((s) => [s.dispatchId, [s.customerId, s.customerName].filter(Boolean).join(' '),
        s.destination || '', day(s.shippedAt),
        s.lotCodes.flatMap((c, i) => [i ? ', ' : '', link('/lot/' + enc(c), c)])]), 'shipment-results'));
  }
  // issue 10: a serial number finds its unit (one per product); no unit is no error here
  const units = await getJson('/api/units?serial=' + enc(text)).catch(() => []);
  if (units.length) {
    parts.splice(2, 0, el('h2', {}, 'Units'), table(
      ['serial', 'product', 'lot', 'work order', 'shipped with', 'customer', ''],
      units.map((u) => [u.serial, u.productCode, u.lotCode ? link('/lot/' + enc(u.lotCode), u.lotCode) : '',
        u.workOrderIds.join(', '), u.shipments.map((s) => s.dispatchId).join(', '),
        u.shipments.map((s) => [s.customerId, s.customerName].filter(Boolean).join(' ')).join(', '),
        u.lotCode ? link('/exposure/' + enc(u.lotCode), 'who else is exposed?') : '']), 'unit-results'));
  }
  if (!answer.lots.length && !answer.shipments.length && !units.length) {
    parts.push(el('p', { class: 'hint' }, 'Nothing matches. Lot codes and dispatch ids match exactly or by prefix, names by words.'));
  }
  view().replaceChildren(...parts);
}

// ---- exposure (issue 10) -------------------------------------------------------------------

async function showExposure(code, material) {
  view().replaceChildren(el('p', { class: 'hint' }, 'Reading the exposure of ' + code + '…'));
  const query = material ? '?material=' + enc(material) : '';
  const r = await getJson('/api/exposure/' + enc(code) + query);
  const csv = (file) => el('a', { href: '/exposure/' + enc(code) + '/' + file + query, id: 'csv-' + file.replace('.csv', ''), download: '' }, file);
  const parts = [
    el('h1', {}, 'Exposure of lot ' + r.batch.lotCode),
    el('p', { class: 'sub' }, [r.batch.materialCode, r.batch.workOrderId, material ? 'material ' + material : null,
      `${r.tookMs} ms`].filter(Boolean).join(' · ')),
    el('p', { class: 'links' }, link('/lot/' + enc(code), 'Genealogy'), 'CSV: ',
      csv('exposure-raw-lots.csv'), csv('exposure-lots.csv'), csv('exposure-shipments.csv'), csv('exposure-customers.csv'),
      'Spreadsheet: ', el('a', { href: '/exposure/' + enc(code) + '/exposure.xlsx' + query, id: 'xlsx-exposure', download: '' }, 'exposure.xlsx')),
    el('h2', {}, `Raw-material lots: ${r.rawLots.length}`),
    table(['level', 'raw lot', 'material', 'supplier / supplier lot', 'other work orders', 'lots made', 'shipments'],
      r.rawLots.map((l) => [l.lot.level === null ? '?' : l.lot.level, link('/lot/' + enc(l.lot.lotCode), l.lot.lotCode),
        l.lot.materialCode ? link('/exposure/' + enc(code) + '?material=' + enc(l.lot.materialCode), l.lot.materialCode) : '',
        [l.lot.supplierId, l.lot.supplierLotCode].filter(Boolean).join(' / '), l.otherWorkOrderIds.join(', '),
        l.lotsMadeFromIt.length, l.shipments.length]), 'exposure-raw-lots'),
    el('h2', {}, `Customers to call: ${r.customers.length}`),
    table(['customer', 'shipments', 'quantity', 'first', 'last'],
      r.customers.map((c) => [[c.customerId, c.customerName].filter(Boolean).join(' '), c.dispatchIds.join(', '),
        Object.entries(c.quantityByUnit).map(([u, q]) => num(q) + ' ' + u).join(' + '),
        day(c.firstShippedAt), day(c.lastShippedAt)]), 'exposure-customers'),
  ];
  if (r.valueAtStake.length) {
    parts.push(el('h2', {}, 'Value at stake'), table(['currency', 'shipped', 'in stock'],
      r.valueAtStake.map((v) => [v.currency, num(v.shipped) + (v.unit ? ' ' + v.unit : ''),
        num(v.inStock) + (v.unit ? ' ' + v.unit : '')]), 'exposure-value'));
  }
  view().replaceChildren(...parts);
}

document.getElementById('search').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = document.getElementById('q').value.trim();
  if (text) navigate('/search?q=' + enc(text));
});

// ---- lot: the genealogy ----------------------------------------------------------------------

async function showLot(code, max) {
  document.getElementById('q').value = code;
  view().replaceChildren(el('p', { class: 'hint' }, 'Tracing ' + code + '…'));
  const answer = await getJson('/api/lot/' + enc(code) + (max ? '?max=' + enc(max) : ''));
  const trace = answer.trace;
  const lot = trace.backward.lot;
  const graph = answer.graph;
  const base = '/graph/' + enc(code);
  const parts = [
    el('h1', {}, 'Lot ' + lot.lotCode + ' ', badges(lot)),
    el('p', { class: 'sub' }, [lot.kind, lot.materialCode, lot.materialName,
      lot.supplierId ? `from ${lot.supplierId} lot ${lot.supplierLotCode || '?'}` : null,
      lot.workOrderId ? 'work order ' + lot.workOrderId : null].filter(Boolean).join(' · ')),
    el('p', { class: 'links' },
      link('/recall/' + enc(code), 'Recall view'),
      el('a', { href: base + '.svg?download=1', id: 'download-svg' }, 'SVG'),
      el('a', { href: base + '.dot?download=1' }, 'DOT'),
      el('a', { href: base + '.mmd?download=1' }, 'Mermaid'),
      el('span', { class: 'hint' }, `${trace.backward.ancestors.length} inputs upstream, ${trace.forward.lots.length} lots made from it, ${trace.forward.shipmentCount} shipments (${trace.tookMs} ms in Elasticsearch)`)),
    legend(),
    el('div', { id: 'graph-box' }),
    el('div', { id: 'members', hidden: '' }),
  ];
  parts.push(el('h2', {}, 'Backward: what went into it'));
  parts.push(trace.backward.ancestors.length ? table(
    ['level', 'lot', 'kind', 'material', 'supplier / supplier lot', 'inputs', ''],
    trace.backward.ancestors.map((a) => [a.level === null ? '?' : -a.level, link('/lot/' + enc(a.lotCode), a.lotCode),
      a.kind || '', a.materialName || a.materialCode || '', [a.supplierId, a.supplierLotCode].filter(Boolean).join(' / '),
      a.inputLotCodes.join(', '), badges(a)]), 'backward') : el('p', { class: 'hint' }, 'No inputs: a purchased lot.'));
  parts.push(el('h2', {}, 'Forward: where it went'));
  if (trace.forward.lots.length) {
    parts.push(table(['level', 'lot', 'material', 'work order', 'produced', ''],
      trace.forward.lots.map((l) => [l.level === null ? '?' : l.level, link('/lot/' + enc(l.lotCode), l.lotCode),
        l.materialName || l.materialCode || '', l.workOrderId || '', day(l.producedAt), badges(l)]), 'forward'));
  }
  const shipments = trace.forward.customers.flatMap((c) => c.shipments.map((s) => [
    [c.customerId, c.customerName].filter(Boolean).join(' '), s.dispatchId, day(s.shippedAt), s.destination || '',
    s.matchedLotCodes.join(', ')]));
  parts.push(shipments.length ? table(['customer', 'dispatch', 'shipped', 'destination', 'via lots'], shipments, 'shipments')
    : el('p', { class: 'hint' }, 'Not shipped (yet).'));
  view().replaceChildren(...parts);
  drawGraph(graph);
  document.title = 'Lot ' + lot.lotCode + ' · batchtrace';
}

function legend() {
  const box = el('div', { class: 'legend' });
  for (const [fill, stroke, name] of Object.values(COLOURS)) {
    const swatch = el('i');
    swatch.style.background = fill;
    swatch.style.borderColor = stroke;
    box.append(el('span', {}, swatch, name));
  }
  const held = el('i');
  held.style.borderColor = HELD;
  held.style.borderWidth = '3px';
  box.append(el('span', {}, held, 'on hold'), el('span', {}, el('span', { class: 'badge qc' }, 'QC FAIL'), ' QC failed'));
  return box;
}

function edgePath(x1, y1, x2, y2) {
  const bend = Math.max(20, (x2 - x1) / 2);
  return `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`;
}

function clip(text, max) {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}

function drawGraph(graph) {
  const box = document.getElementById('graph-box');
  const svg = d3.select(box).append('svg').attr('id', 'graph')
    .attr('viewBox', `0 0 ${graph.width} ${graph.height}`)
    .attr('data-center', graph.centerId);
  svg.append('defs').append('marker').attr('id', 'arrow').attr('viewBox', '0 0 10 10')
    .attr('refX', 10).attr('refY', 5).attr('markerWidth', 7).attr('markerHeight', 7)
    .attr('orient', 'auto-start-reverse')
    .append('path').attr('d', 'M 0 0 L 10 5 L 0 10 z').attr('fill', '#6b7280');
  const canvas = svg.append('g');
  svg.call(d3.zoom().scaleExtent([0.2, 4]).on('zoom', (event) => canvas.attr('transform', event.transform)));
  const byId = new Map(graph.nodes.map((p) => [p.node.id, p]));

  canvas.append('g').selectAll('path').data(graph.edges).join('path')
    .attr('class', 'edge')
    .attr('data-from', (e) => e.from).attr('data-to', (e) => e.to)
    .attr('d', (e) => {
      const a = byId.get(e.from);
      const b = byId.get(e.to);
      return edgePath(a.x + NODE_W, a.y + NODE_H / 2, b.x, b.y + NODE_H / 2);
    })
    .attr('fill', 'none').attr('stroke', '#9ca3af')
    .attr('stroke-width', (e) => (e.count > 1 ? 2.5 : 1.2))
    .attr('marker-end', 'url(#arrow)');
  canvas.append('g').selectAll('text').data(graph.edges.filter((e) => e.count > 1)).join('text')
    .attr('x', (e) => (byId.get(e.from).x + NODE_W + byId.get(e.to).x) / 2)
    .attr('y', (e) => (byId.get(e.from).y + byId.get(e.to).y + NODE_H) / 2 - 3)
    .attr('text-anchor', 'middle').attr('font-size', 11).attr('fill', '#4b5563')
    .text((e) => e.count);

  const nodes = canvas.append('g').selectAll('g').data(graph.nodes).join('g')
    .attr('class', 'node')
    .attr('data-id', (p) => p.node.id)
    .attr('data-kind', (p) => p.node.kind)
    .attr('data-held', (p) => p.node.held)
    .attr('transform', (p) => `translate(${p.x},${p.y})`)
    .on('click', (event, p) => {
      if (p.node.kind === 'COLLAPSED') showMembers(p, graph);
      else if (p.node.href) navigate(p.node.href);
    });
  nodes.append('title').text((p) => p.node.label + (p.node.detail ? ' ' + p.node.detail : ''));
  nodes.append('rect').attr('width', NODE_W).attr('height', NODE_H).attr('rx', 6)
    .attr('fill', (p) => COLOURS[p.node.kind][0])
    .attr('stroke', (p) => (p.node.held ? HELD : COLOURS[p.node.kind][1]))
    .attr('stroke-width', (p) => (p.node.id === graph.centerId || p.node.held ? 3 : 1.2))
    .attr('stroke-dasharray', (p) => (p.node.kind === 'COLLAPSED' ? '4 3' : null));
  nodes.append('text').attr('x', 8).attr('y', 18).attr('font-weight', 'bold').attr('font-size', 12)
    .text((p) => clip(p.node.label, 24));
  nodes.append('text').attr('x', 8).attr('y', 35).attr('font-size', 12).attr('fill', '#374151')
    .text((p) => clip(p.node.detail, 28));
  nodes.filter((p) => p.node.held || p.node.qcFailed).append('text')
    .attr('x', NODE_W - 6).attr('y', 14).attr('text-anchor', 'end').attr('font-size', 10)
    .attr('font-weight', 'bold').attr('fill', (p) => (p.node.held ? HELD : QC_FAILED))
    .text((p) => [p.node.held ? 'HOLD' : null, p.node.qcFailed ? 'QC FAIL' : null].filter(Boolean).join(' '));
}

function showMembers(placed, graph) {
  const box = document.getElementById('members');
  box.hidden = false;
  const code = location.pathname.replace(/^\/lot\//, '');
  box.replaceChildren(
    el('strong', {}, `${placed.count} more at level ${placed.level}: `),
    // drawing them all is a choice: a level of 1,500 lots is a long column
    link('/lot/' + code + '?max=' + Math.max(...Object.values(graph.levelSizes)), 'draw them all'), ' · ',
    ...placed.members.slice(0, 500).flatMap((id, i) => {
      const label = id.replace(/^[a-z]+:/, '');
      return [i ? ', ' : '', id.startsWith('lot:') ? link('/lot/' + enc(label), label)
        : link('/search?q=' + enc(label), label)];
    }),
    placed.members.length > 500 ? ` … and ${placed.members.length - 500} more` : '');
}

// ---- recall --------------------------------------------------------------------------------

async function showRecall(code) {
  document.getElementById('q').value = code;
  view().replaceChildren(el('p', { class: 'hint' }, 'Reading the recall of ' + code + '…'));
  const r = await getJson('/api/recall/' + enc(code));
  const lot = r.lot;
  const balance = lot.balance;
  const share = lot.shareAccounted;
  const csv = (file) => el('a', { href: '/recall/' + enc(code) + '/' + file, id: 'csv-' + file.replace('.csv', ''), download: '' }, file);
  const parts = [
    el('h1', {}, 'Mock recall of lot ' + r.lotCode + ' ', badges({ onHold: lot.onHold, qcStatus: lot.facts.qcStatus })),
    el('p', { class: 'sub' }, [lot.facts.kind, lot.facts.materialCode, lot.facts.materialName,
      lot.quantity !== null ? num(lot.quantity) + ' ' + (lot.unit || '') : null].filter(Boolean).join(' · ')),
    el('p', { class: 'links' }, link('/lot/' + enc(code), 'Genealogy'), 'CSV: ', csv('lots.csv'), csv('shipments.csv'), csv('customers.csv'), csv('summary.csv'),
      'Spreadsheet: ', el('a', { href: '/recall/' + enc(code) + '/recall.xlsx', id: 'xlsx-recall', download: '' }, 'recall.xlsx')),
  ];
  for (const hold of lot.holds) {
    parts.push(el('p', {}, el('span', { class: 'badge hold' }, 'ON HOLD'), ` ${hold.flagId} ${hold.severity || ''} since ${day(hold.since)}: ${hold.reason || ''}`));
  }
  if (balance) {
    parts.push(el('h2', {}, 'Mass balance'), table(['unit', 'received or produced', 'consumed', 'shipped', 'remaining', 'accounted for'],
      [[balance.unit || '', balance.receivedOrProduced, balance.consumed, balance.shipped, balance.remaining,
        share && share.percent !== null ? num(share.percent) + ' %' : '']], 'balance'));
  }
  parts.push(el('h2', {}, `Affected lots: ${r.lots.length}`));
  if (r.lots.length) {
    parts.push(table(['level', 'lot', 'material', 'work order', 'quantity', 'remaining', ''],
      r.lots.map((l) => [l.level === null ? '?' : l.level, link('/lot/' + enc(l.lotCode), l.lotCode), l.materialName || l.materialCode || '',
        l.workOrderId || '', l.quantity === null ? '' : num(l.quantity) + ' ' + (l.unit || ''),
        l.remaining === null ? '' : num(l.remaining) + ' ' + (l.unit || ''), l.onHold ? el('span', { class: 'badge hold' }, 'HOLD') : '']), 'recall-lots'));
  }
  parts.push(el('h2', {}, `Affected shipments: ${r.shipments.length} to ${new Set(r.shipments.map((s) => s.customerId)).size} customers`));
  if (r.shipments.length) {
    parts.push(table(['dispatch', 'customer', 'shipped', 'destination', 'affected lots'],
      r.shipments.map((s) => [s.dispatchId, [s.customerId, s.customerName].filter(Boolean).join(' '), day(s.shippedAt), s.destination || '',
        s.affectedLotCodes.join(', ')]), 'recall-shipments'));
  }
  parts.push(el('h2', {}, 'Customers'), table(['customer', 'quantity', 'shipments'],
    r.customers.map((c) => [[c.customerId, c.customerName].filter(Boolean).join(' '), num(c.quantity) + ' ' + (c.unit || ''), c.dispatchIds.join(', ')]), 'recall-customers'));
  parts.push(el('h2', {}, `Open alerts: ${r.openAlertCount}`));
  if (r.openAlerts.length) {
    parts.push(table(['kind', 'lot', 'dispatch', 'customer', 'quantity', 'path'],
      r.openAlerts.map((a) => [a.kind, a.lotCode || '', a.dispatchId || '', a.customerName || a.customerId || '',
        a.quantity === null ? '' : num(a.quantity) + ' ' + (a.unit || ''), a.path.join(' → ')]), 'recall-alerts'));
  }
  parts.push(el('p', { class: 'hint' }, `Report read at ${day(r.generatedAt)} in ${r.totalMs} ms (${r.elasticsearchMs} ms in Elasticsearch).`));
  view().replaceChildren(...parts);
  document.title = 'Recall ' + code + ' · batchtrace';
}

// ---- alerts as they arrive (server-sent events) ------------------------------------------------

function connectAlerts() {
  const state = document.getElementById('alerts-state');
  const list = document.getElementById('alerts');
  const source = new EventSource('/api/alerts/stream');
  source.onopen = () => { state.textContent = 'live'; state.className = 'state live'; };
  source.onerror = () => { state.textContent = 'reconnecting'; state.className = 'state'; };
  source.addEventListener('problem', (event) => { state.textContent = event.data; state.className = 'state'; });
  source.addEventListener('alert', (event) => {
    const a = JSON.parse(event.data);
    const existing = list.querySelector(`li[data-alert-id="${CSS.escape(a.alertId)}"]`);
    if (existing) existing.remove();
    const item = el('li', { class: (a.status || '') + (list.children.length ? ' fresh' : ''), 'data-alert-id': a.alertId },
      el('span', { class: 'kind' }, a.kind + (a.status === 'RESOLVED' ? ' (resolved)' : '')), ' ',
      a.lotCode ? link('/lot/' + enc(a.lotCode), a.lotCode) : '',
      a.dispatchId ? ' → ' + a.dispatchId : '', a.customerName || a.customerId ? ' (' + (a.customerName || a.customerId) + ')' : '',
      a.quantity !== null ? ` ${num(a.quantity)} ${a.unit || ''}` : '', el('br'),
      a.path && a.path.length ? 'flagged ' : '', a.path && a.path.length ? link('/recall/' + enc(a.path[0]), a.path[0]) : '',
      a.raisedAt ? ' · ' + day(a.raisedAt) : '');
    list.prepend(item);
    while (list.children.length > 50) list.lastChild.remove();
  });
}

route();
connectAlerts();
