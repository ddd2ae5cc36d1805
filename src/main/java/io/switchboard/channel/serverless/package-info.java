/**
 * The serverless edition: the LINE webhook and the chat worker as two AWS Lambda
 * functions of this same code (Spring Cloud Function's AWS adapter), the webhook taking
 * events in through the one intake and handing each begun turn to an SQS queue, the
 * worker running it with the same turn code and delivery path; secrets read from SSM
 * Parameter Store once per container.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Serverless")
package io.switchboard.channel.serverless;
