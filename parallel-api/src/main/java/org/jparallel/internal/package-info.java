/**
 * The seam between parallel-api and its implementation in parallel-core, found through {@code
 * ServiceLoader}. Not an API for users nor part of the backend SPI ({@code org.jparallel.spi}): nothing
 * here is needed to write a backend or to use jparallel.
 */
package org.jparallel.internal;
