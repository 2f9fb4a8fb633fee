/**
 * The one auth provider object every oci-* client is built with. Clients keep the provider they
 * were given (in their request signer), so a refresh that has to replace the SDK provider (a
 * config file re-read after its key was rotated) swaps the delegate here instead. The signer asks
 * for the keyId and private key on every request (oci-common/lib/signer.js), so a swap or a
 * token refresh applies to the next request of every client.
 */
import type * as common from "oci-common";

export class SwappableAuthProvider implements common.AuthenticationDetailsProvider, common.RegionProvider {
  constructor(
    private current: common.AuthenticationDetailsProvider,
    private readonly region: common.Region,
  ) {}

  /** Replaces the provider the next requests are signed with. */
  swap(next: common.AuthenticationDetailsProvider): void {
    this.current = next;
  }

  getKeyId(): Promise<string> {
    return this.current.getKeyId();
  }

  getPrivateKey(): string {
    return this.current.getPrivateKey();
  }

  getPassphrase(): string | null {
    return this.current.getPassphrase();
  }

  getRegion(): common.Region {
    return this.region;
  }
}
