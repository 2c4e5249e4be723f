import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseStep, legendFor, promqlString, rateIntervalSeconds, substitute } from './promql';

const vars = { service: 'recommendation', stepSeconds: 15, scrapeSeconds: 15 };

test('rate interval is at least four scrape intervals', () => {
  assert.equal(rateIntervalSeconds(5, 15), 60);
  assert.equal(rateIntervalSeconds(120, 15), 135);
});

test('substitutes the upstream latency query', () => {
  const q =
    'histogram_quantile(0.95, sum(rate(traces_span_metrics_duration_milliseconds_bucket{service_name="$service"}[$__rate_interval])) by (le))';
  assert.equal(
    substitute(q, vars),
    'histogram_quantile(0.95, sum(rate(traces_span_metrics_duration_milliseconds_bucket{service_name="recommendation"}[60s])) by (le))',
  );
});

test('substitutes braced forms and $__interval without touching $__rate_interval', () => {
  assert.equal(
    substitute('${service} $__interval $__rate_interval ${__rate_interval}', vars),
    'recommendation 15s 60s 60s',
  );
});

test('a service name cannot break out of the string literal', () => {
  const q = substitute('x{service_name="$service"}', { ...vars, service: 'a"} or up{b="' });
  assert.equal(q, 'x{service_name="a\\"} or up{b=\\""}');
  assert.equal(promqlString('back\\slash'), 'back\\\\slash');
});

test('a variable name that only starts like a known one is left alone', () => {
  assert.equal(substitute('$services', vars), '$services');
});

test('step keeps about 240 points and is never below the minimum', () => {
  assert.equal(chooseStep(300), 5);
  assert.equal(chooseStep(3600), 15);
  assert.equal(chooseStep(6 * 3600), 120);
});

test('legend uses the format template or the label set', () => {
  assert.equal(legendFor({ span_name: 'get_product_list' }, '{{span_name}}'), 'get_product_list');
  assert.equal(legendFor({ __name__: 'up', job: 'a' }), '{job="a"}');
  assert.equal(legendFor({ __name__: 'up' }), 'up');
});
