/**
 * The production store: {@link dev.skewless.store.dynamodb.DynamoVersionStore} and
 * {@link dev.skewless.store.dynamodb.DynamoLeaderLease} on one DynamoDB table created by
 * {@link dev.skewless.store.dynamodb.TableSetup}, with a change feed from DynamoDB Streams (or
 * polling). The table layout and its reasons are in {@code docs/store.md}.
 */
package dev.skewless.store.dynamodb;
