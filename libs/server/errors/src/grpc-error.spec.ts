import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';
import { DomainError } from './domain-error.js';
import { ErrorCode } from './error-code.js';
import { fromGrpcError, toGrpcError } from './grpc-error.js';

describe('gRPC error mapping', () => {
  it('keeps code, message and details across a round trip', () => {
    const original = new DomainError(ErrorCode.FILE_TOO_LARGE, 'Too big', { maxBytes: 5 });
    const wire = toGrpcError(original);
    expect(wire.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);

    const back = fromGrpcError({ ...wire, name: 'Error', details: wire.details });
    expect(back).toEqual(expect.objectContaining({ code: ErrorCode.FILE_TOO_LARGE, message: 'Too big' }));
    expect(back.details).toEqual({ maxBytes: 5 });
    expect(back.httpStatus).toBe(413);
  });

  it('turns an unreachable service into SERVICE_UNAVAILABLE without leaking its message', () => {
    const error = {
      code: GrpcStatus.UNAVAILABLE,
      details: 'connect ECONNREFUSED 10.0.0.3:50051',
      metadata: new Metadata(),
    };
    const mapped = fromGrpcError(error);
    expect(mapped.code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
    expect(mapped.message).not.toContain('10.0.0.3');
  });

  it('reports anything unknown as INTERNAL', () => {
    expect(fromGrpcError(new Error('secret stack')).code).toBe(ErrorCode.INTERNAL);
    expect(fromGrpcError({ code: GrpcStatus.INTERNAL, details: 'at Foo.bar' }).message).toBe('Internal error');
  });

  it('ignores a forged code that is not in the enum', () => {
    const metadata = new Metadata();
    metadata.set('lexy-error-code', 'MADE_UP');
    expect(fromGrpcError({ code: GrpcStatus.NOT_FOUND, details: 'x', metadata }).code).toBe(ErrorCode.NOT_FOUND);
  });
});
