/**
 * Optional TLS on the worker protocol: the manager's identity (a fresh self-signed certificate per
 * run, or a user keystore) and the workers' pinning of its SHA-256 fingerprint, which they receive
 * with the secret. The self-signed certificate is written with the JDK alone
 * ({@code SelfSignedCertificate}).
 */
package org.jparallel.core.tls;
