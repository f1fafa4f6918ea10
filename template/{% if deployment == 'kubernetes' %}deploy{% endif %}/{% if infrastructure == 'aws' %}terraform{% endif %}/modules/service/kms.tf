data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  identifier = "${var.name}-${var.environment}"
  account    = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
}

# One customer-managed key per environment: images, database storage, its logs and Performance Insights, the secrets.
resource "aws_kms_key" "this" {
  description             = "${local.identifier}: images, database, logs and secrets"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.key.json
}

resource "aws_kms_alias" "this" {
  name          = "alias/${local.identifier}"
  target_key_id = aws_kms_key.this.key_id
}

data "aws_iam_policy_document" "key" {
  #checkov:skip=CKV_AWS_109: a key policy's "*" is the key itself; the account's IAM policies grant its use
  #checkov:skip=CKV_AWS_111: a key policy's "*" is the key itself; CloudWatch Logs is held to the database's log groups
  #checkov:skip=CKV_AWS_356: a key policy's "*" is the key itself, the only resource it can name
  # As the default key policy: the account's IAM policies decide who administers and uses the key.
  statement {
    sid       = "AccountIAMPolicies"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account}:root"]
    }
  }

  # CloudWatch Logs encrypts the database's log groups, and only those.
  statement {
    sid       = "DatabaseLogGroups"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${local.region}.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${local.region}:${local.account}:log-group:/aws/rds/instance/${local.identifier}/*"]
    }
  }
}
