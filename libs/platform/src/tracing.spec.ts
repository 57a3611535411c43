import { otlpTracesUrl, type TracingConfig } from './tracing';

const base: TracingConfig = { OTEL_SDK_DISABLED: false, OTEL_BSP_SCHEDULE_DELAY: 5_000 };

describe(otlpTracesUrl.name, () => {
  it('exports nowhere unless an endpoint is set', () => {
    expect(otlpTracesUrl(base)).toBeNull();
  });

  it('appends the traces path to the base endpoint, and takes the traces endpoint as given', () => {
    expect(otlpTracesUrl({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toBe(
      'http://collector:4318/v1/traces',
    );
    expect(
      otlpTracesUrl({
        ...base,
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example.com/otlp',
      }),
    ).toBe('https://traces.example.com/otlp');
  });

  it('exports nothing when the SDK is disabled, whatever the endpoint', () => {
    expect(
      otlpTracesUrl({
        ...base,
        OTEL_SDK_DISABLED: true,
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      }),
    ).toBeNull();
  });
});
