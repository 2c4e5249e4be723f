// Test helper: a global tracer provider writing to an InMemorySpanExporter,
// with the AsyncLocalStorage context manager so active spans follow awaits.
import { trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-node';

let exporter: InMemorySpanExporter | undefined;

/** Installs the in-memory tracer once per process; returns its (reset) exporter. */
export function memorySpans(): InMemorySpanExporter {
  if (!exporter) {
    exporter = new InMemorySpanExporter();
    const provider = new NodeTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    provider.register();
  }
  exporter.reset();
  return exporter;
}

/** Runs `fn` inside a fresh span, as the grpc instrumentation would for a server call. */
export function inServerSpan<T>(name: string, fn: () => Promise<T>): Promise<T> {
  return trace.getTracer('test').startActiveSpan(name, async (span) => {
    try {
      return await fn();
    } finally {
      span.end();
    }
  });
}
