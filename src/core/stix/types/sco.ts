/** The STIX 2.1 Cyber-observable Objects (section 6). */
import type { Dictionary, Hashes, Identifier, ScoCommon, Timestamp } from './common.js';
import type {
  ArchiveExt, HttpRequestExt, IcmpExt, NtfsExt, PdfExt, RasterImageExt, SocketExt, TcpExt, UnixAccountExt,
  WindowsPeBinaryExt, WindowsProcessExt, WindowsServiceExt,
} from './sco-extensions.js';

export interface Artifact extends ScoCommon {
  readonly type: 'artifact';
  readonly mime_type?: string;
  readonly payload_bin?: string;
  readonly url?: string;
  readonly hashes?: Hashes;
  readonly encryption_algorithm?: 'AES-256-GCM' | 'ChaCha20-Poly1305' | 'mime-type-indicated';
  readonly decryption_key?: string;
}

export interface AutonomousSystem extends ScoCommon {
  readonly type: 'autonomous-system';
  readonly number: number;
  readonly name?: string;
  readonly rir?: string;
}

export interface Directory extends ScoCommon {
  readonly type: 'directory';
  readonly path: string;
  readonly path_enc?: string;
  readonly ctime?: Timestamp;
  readonly mtime?: Timestamp;
  readonly atime?: Timestamp;
  readonly contains_refs?: ReadonlyArray<Identifier>;
}

export interface DomainName extends ScoCommon {
  readonly type: 'domain-name';
  readonly value: string;
  /** Deprecated in 2.1: use a `resolves-to` relationship. */
  readonly resolves_to_refs?: ReadonlyArray<Identifier>;
}

export interface EmailAddr extends ScoCommon {
  readonly type: 'email-addr';
  readonly value: string;
  readonly display_name?: string;
  readonly belongs_to_ref?: Identifier;
}

export interface EmailMimePart {
  readonly body?: string;
  readonly body_raw_ref?: Identifier;
  readonly content_type?: string;
  readonly content_disposition?: string;
}

export interface EmailMessage extends ScoCommon {
  readonly type: 'email-message';
  readonly is_multipart: boolean;
  readonly date?: Timestamp;
  readonly content_type?: string;
  readonly from_ref?: Identifier;
  readonly sender_ref?: Identifier;
  readonly to_refs?: ReadonlyArray<Identifier>;
  readonly cc_refs?: ReadonlyArray<Identifier>;
  readonly bcc_refs?: ReadonlyArray<Identifier>;
  readonly message_id?: string;
  readonly subject?: string;
  readonly received_lines?: ReadonlyArray<string>;
  readonly additional_header_fields?: Dictionary;
  readonly body?: string;
  readonly body_multipart?: ReadonlyArray<EmailMimePart>;
  readonly raw_email_ref?: Identifier;
}

export interface File extends ScoCommon {
  readonly type: 'file';
  readonly hashes?: Hashes;
  readonly size?: number;
  readonly name?: string;
  readonly name_enc?: string;
  readonly magic_number_hex?: string;
  readonly mime_type?: string;
  readonly ctime?: Timestamp;
  readonly mtime?: Timestamp;
  readonly atime?: Timestamp;
  readonly parent_directory_ref?: Identifier;
  readonly contains_refs?: ReadonlyArray<Identifier>;
  readonly content_ref?: Identifier;
  readonly extensions?: {
    readonly 'archive-ext'?: ArchiveExt;
    readonly 'ntfs-ext'?: NtfsExt;
    readonly 'pdf-ext'?: PdfExt;
    readonly 'raster-image-ext'?: RasterImageExt;
    readonly 'windows-pebinary-ext'?: WindowsPeBinaryExt;
    readonly [key: string]: object;
  };
}

export interface Ipv4Addr extends ScoCommon {
  readonly type: 'ipv4-addr';
  readonly value: string;
  /** Deprecated in 2.1: use a `resolves-to` relationship. */
  readonly resolves_to_refs?: ReadonlyArray<Identifier>;
  /** Deprecated in 2.1: use a `belongs-to` relationship. */
  readonly belongs_to_refs?: ReadonlyArray<Identifier>;
}

export interface Ipv6Addr extends ScoCommon {
  readonly type: 'ipv6-addr';
  readonly value: string;
  readonly resolves_to_refs?: ReadonlyArray<Identifier>;
  readonly belongs_to_refs?: ReadonlyArray<Identifier>;
}

export interface MacAddr extends ScoCommon {
  readonly type: 'mac-addr';
  readonly value: string;
}

export interface Mutex extends ScoCommon {
  readonly type: 'mutex';
  readonly name: string;
}

export interface NetworkTraffic extends ScoCommon {
  readonly type: 'network-traffic';
  readonly start?: Timestamp;
  readonly end?: Timestamp;
  readonly is_active?: boolean;
  readonly src_ref?: Identifier;
  readonly dst_ref?: Identifier;
  readonly src_port?: number;
  readonly dst_port?: number;
  readonly protocols: ReadonlyArray<string>;
  readonly src_byte_count?: number;
  readonly dst_byte_count?: number;
  readonly src_packets?: number;
  readonly dst_packets?: number;
  readonly ipfix?: Dictionary;
  readonly src_payload_ref?: Identifier;
  readonly dst_payload_ref?: Identifier;
  readonly encapsulates_refs?: ReadonlyArray<Identifier>;
  readonly encapsulated_by_ref?: Identifier;
  readonly extensions?: {
    readonly 'http-request-ext'?: HttpRequestExt;
    readonly 'icmp-ext'?: IcmpExt;
    readonly 'socket-ext'?: SocketExt;
    readonly 'tcp-ext'?: TcpExt;
    readonly [key: string]: object;
  };
}

export interface Process extends ScoCommon {
  readonly type: 'process';
  readonly is_hidden?: boolean;
  readonly pid?: number;
  readonly created_time?: Timestamp;
  readonly cwd?: string;
  readonly command_line?: string;
  readonly environment_variables?: Dictionary;
  readonly opened_connection_refs?: ReadonlyArray<Identifier>;
  readonly creator_user_ref?: Identifier;
  readonly image_ref?: Identifier;
  readonly parent_ref?: Identifier;
  readonly child_refs?: ReadonlyArray<Identifier>;
  readonly extensions?: {
    readonly 'windows-process-ext'?: WindowsProcessExt;
    readonly 'windows-service-ext'?: WindowsServiceExt;
    readonly [key: string]: object;
  };
}

export interface Software extends ScoCommon {
  readonly type: 'software';
  readonly name: string;
  readonly cpe?: string;
  readonly swid?: string;
  readonly languages?: ReadonlyArray<string>;
  readonly vendor?: string;
  readonly version?: string;
}

export interface Url extends ScoCommon {
  readonly type: 'url';
  readonly value: string;
}

export interface UserAccount extends ScoCommon {
  readonly type: 'user-account';
  readonly user_id?: string;
  readonly credential?: string;
  readonly account_login?: string;
  readonly account_type?: string;
  readonly display_name?: string;
  readonly is_service_account?: boolean;
  readonly is_privileged?: boolean;
  readonly can_escalate_privs?: boolean;
  readonly is_disabled?: boolean;
  readonly account_created?: Timestamp;
  readonly account_expires?: Timestamp;
  readonly credential_last_changed?: Timestamp;
  readonly account_first_login?: Timestamp;
  readonly account_last_login?: Timestamp;
  readonly extensions?: { readonly 'unix-account-ext'?: UnixAccountExt; readonly [key: string]: object };
}

export interface WindowsRegistryValue {
  readonly name?: string;
  readonly data?: string;
  readonly data_type?: string;
}

export interface WindowsRegistryKey extends ScoCommon {
  readonly type: 'windows-registry-key';
  readonly key?: string;
  readonly values?: ReadonlyArray<WindowsRegistryValue>;
  readonly modified_time?: Timestamp;
  readonly creator_user_ref?: Identifier;
  readonly number_of_subkeys?: number;
}

export interface X509V3Extensions {
  readonly [extension: string]: string | undefined;
}

export interface X509Certificate extends ScoCommon {
  readonly type: 'x509-certificate';
  readonly is_self_signed?: boolean;
  readonly hashes?: Hashes;
  readonly version?: string;
  readonly serial_number?: string;
  readonly signature_algorithm?: string;
  readonly issuer?: string;
  readonly validity_not_before?: Timestamp;
  readonly validity_not_after?: Timestamp;
  readonly subject?: string;
  readonly subject_public_key_algorithm?: string;
  readonly subject_public_key_modulus?: string;
  readonly subject_public_key_exponent?: number;
  readonly x509_v3_extensions?: X509V3Extensions;
}

export type StixCyberObservable =
  | Artifact | AutonomousSystem | Directory | DomainName | EmailAddr | EmailMessage | File | Ipv4Addr | Ipv6Addr
  | MacAddr | Mutex | NetworkTraffic | Process | Software | Url | UserAccount | WindowsRegistryKey | X509Certificate;
