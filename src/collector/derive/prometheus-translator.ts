// OTel metric points -> Prometheus series (skeleton; filled in next).

import type {
  MetricPoint,
  PromMetadata,
  SeriesExemplars,
  SeriesSamples,
} from '../../model/telemetry';

export interface PrometheusTranslatorOptions {
  /** Unit and `_total` suffixes (collector `add_metric_suffixes`, default true). */
  readonly addMetricSuffixes?: boolean;
  /** Emit `target_info` per resource (default true). */
  readonly targetInfo?: boolean;
  /** Cap on series kept for delta -> cumulative state (default 100_000). */
  readonly maxSeries?: number;
  /** State not updated for this long (in ms of point time) is evicted (default 1 h). */
  readonly idleTimeoutMs?: number;
}

export interface TranslateResult {
  readonly samples: SeriesSamples[];
  readonly exemplars: SeriesExemplars[];
  readonly metadata: PromMetadata[];
}

export class PrometheusTranslator {
  constructor(opts: PrometheusTranslatorOptions = {}) {
    void opts;
  }

  translate(points: readonly MetricPoint[]): TranslateResult {
    void points;
    return { samples: [], exemplars: [], metadata: [] };
  }
}
