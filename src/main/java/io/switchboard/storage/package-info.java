/**
 * Storage: which store keeps the chat core ({@code switchboard.storage.type}: SQL or
 * DynamoDB), the DynamoDB table and S3 bucket when chosen, and the capacity every
 * DynamoDB call consumed.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Storage")
package io.switchboard.storage;
